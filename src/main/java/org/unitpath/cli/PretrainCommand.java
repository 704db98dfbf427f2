package org.unitpath.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.config.Config;
import org.unitpath.dist.Distributed;
import org.unitpath.dist.Launcher;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;
import org.unitpath.train.PretrainSettings;
import org.unitpath.train.Pretrainer;
import org.unitpath.train.SettingsFromConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unitpath pretrain}: the translation-cycle pretraining of S (stages 1 and 2). */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Pretrain S by unpaired mask <-> H&E translation (the method's stage 1 or 2).",
                "CONFIG is a YAML file (configs/pretrain/*.yaml); KEY VALUE pairs override it, e.g. SOLVER.MAX_ITER 1000.",
                "Several machines: set MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK and start one process per machine."})
final class PretrainCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(PretrainCommand.class);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The run's config: a YAML file or a bundled name (quickstart, "
            + "stage1, stage2, pretrain-cpu).")
    String config;

    @Parameters(index = "1..*", paramLabel = "KEY VALUE", description = "Overrides of config keys.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "Continue from the newest checkpoint in OUTPUT_DIR.")
    boolean resume;

    @Option(names = "--nproc", defaultValue = "1", description = "Processes on this machine (data-parallel, default ${DEFAULT-VALUE}).")
    int nproc;

    @Override
    public Integer call() throws Exception {
        Config cfg = BundledConfigs.load(config, overrides);
        if (nproc < 1) {
            throw new IllegalArgumentException("--nproc must be >= 1, got " + nproc);
        }
        if (nproc > 1 && !Distributed.launched()) {
            List<String> args = new ArrayList<>(List.of("pretrain", config));
            args.addAll(overrides);
            if (resume) {
                args.add("--resume");
            }
            int threads = ((Main) spec.root().userObject()).threads;
            if (threads > 0) {
                args.add(0, "--threads=" + threads);
            }
            return Launcher.run(nproc, Main.class.getName(), args);
        }
        return run(spec.commandLine().getOut(), cfg, resume, ((Main) spec.root().userObject()).threads);
    }

    static int run(PrintWriter out, Config cfg, boolean resume, int threads) throws Exception {
        Torch.setThreads(threads);
        Device device = Device.parse(cfg.getString("MODEL.DEVICE"));
        try (Distributed dist = Distributed.launched() ? Distributed.fromEnvironment(device) : Distributed.single(device)) {
            PretrainSettings settings = SettingsFromConfig.resolve(cfg, dist.worldSize());
            if (dist.isMain() && !cfg.ignoredSummary().isEmpty()) {
                log.info(cfg.ignoredSummary());
            }
            Pretrainer.Result r = new Pretrainer(settings, dist, cfg.toYaml()).run(resume);
            if (!dist.isMain()) {
                return ExitCodes.OK;
            }
            if (r.interrupted()) {
                out.printf("pretrain: stopped at iteration %d; continue with --resume (%s)%n", r.iterations(), r.outputDir());
                return ExitCodes.INTERRUPTED;
            }
            out.printf("pretrain: %d iterations done in %s%n", r.iterations(), r.outputDir());
            out.printf("  report:    %s%n  samples:   %s%n  S:         %s%n  backbone:  %s%n", r.report(), r.samples(),
                    r.sExport(), r.backboneExport());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
