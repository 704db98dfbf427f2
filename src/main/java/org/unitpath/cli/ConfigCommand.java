package org.unitpath.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unitpath.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Training configs: yacs-style YAML files with {@code _BASE_} inheritance and KEY VALUE overrides. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Inspect training configs (YAML files such as configs/pretrain/stage1.yaml).",
        subcommands = {ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Print the fully merged config as YAML: the defaults, then CONFIG.yaml over its _BASE_ "
                    + "chain, then the KEY VALUE overrides. The output is itself a loadable config.",
                    "Overrides take YAML values: SOLVER.BASE_LR 0.001, CYCLE.SCALES \"['40x_256']\", "
                    + "STYLEGAN.TARGET None. Use -- before a value that starts with '-'."},
            footerHeading = "%nExamples:%n",
            footer = {"  unitpath config show",
                      "  unitpath config show configs/pretrain/stage2.yaml",
                      "  unitpath config show configs/pretrain/quickstart.yaml SOLVER.MAX_ITER 1000 SEED 7"})
    static final class Show implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..*", paramLabel = "[CONFIG.yaml] [KEY VALUE]...",
                description = "A config file (a name ending in .yaml or .yml, or an existing file; none: the defaults), "
                        + "then overrides.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> overrides = new ArrayList<>(args);
            Config config;
            if (!overrides.isEmpty() && isConfigFile(overrides.get(0))) {
                config = Config.load(Path.of(overrides.remove(0)), overrides);
            } else {
                config = Config.fromDefaults(overrides);
            }
            var out = spec.commandLine().getOut();
            List<String> sources = new ArrayList<>(config.files());
            if (!overrides.isEmpty()) {
                sources.add("command line");
            }
            out.println("# merged config: " + (sources.isEmpty() ? "defaults" : "defaults < " + String.join(" < ", sources)));
            out.print(config.toYaml());
            Map<String, Object> ignored = config.ignoredSettings();
            if (!ignored.isEmpty()) {
                out.println();
                out.println("# Set above but without effect in unitpath (accepted so that the release's configs load):");
                ignored.forEach((k, v) -> out.println("#   " + k + ": " + v + "  -- " + Config.ignoredKeys().get(k)));
            }
            out.flush();
            return ExitCodes.OK;
        }

        private static boolean isConfigFile(String arg) {
            String a = arg.toLowerCase(Locale.ROOT);
            if (a.endsWith(".yaml") || a.endsWith(".yml")) {
                return true;
            }
            try {
                return Files.isRegularFile(Path.of(arg));
            } catch (InvalidPathException e) {
                return false;
            }
        }
    }
}
