package org.unitpath.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code unitpath} command line. */
@Command(name = "unitpath",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "Nucleus-aware self-supervised pretraining of histopathology models "
                + "through unpaired image-to-image translation (Song et al., IEEE TMI 2023).",
        subcommands = {InfoCommand.class, DemoCommand.class, PretrainCommand.class, ConfigCommand.class, MasksCommand.class,
                TilesCommand.class, SyntheticNucleiCommand.class, SegmentCommand.class, ConvertCommand.class,
                EvaluateCommand.class, ImportCommand.class, FinetuneCommand.class, CompareCommand.class, EmbedCommand.class, ProbeCommand.class,
                MilCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0 success, 1 internal error, 2 bad command line, 3 bad input or I/O problem,",
                  "  4 runtime failure (e.g. numerical divergence), 130 interrupted."})
public final class Main implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Verbose logging, and full stack traces on errors.")
    boolean debug;

    @Option(names = "--threads", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "CPU threads for tensor kernels (default: one per core).")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns the exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionStrategy(parsed -> {
            setLogLevel(main.debug ? Level.DEBUG : Level.INFO);
            if (main.threads < 0) {
                throw new CommandLine.ParameterException(cli, "--threads must be >= 0, got " + main.threads);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExecutionExceptionHandler(new ErrorHandler(() -> main.debug));
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("unitpath: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }

    private static void setLogLevel(Level level) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }
}
