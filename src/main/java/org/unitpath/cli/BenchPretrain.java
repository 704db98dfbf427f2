package org.unitpath.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.unitpath.config.Config;
import org.unitpath.data.DemoData;
import org.unitpath.report.PhaseMemory;
import org.unitpath.report.ProcessMemory;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;
import org.unitpath.train.PretrainBench;
import org.unitpath.train.PretrainSettings;
import org.unitpath.train.SettingsFromConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Times pretraining iterations of a config on the demo data (masks and tiles made in a temp folder). */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Median ms per pretraining iteration (G + S, D_S, D_G, EMA; iterations with the lazy path-length and "
                + "R1 phases apart) and images/s, "
                + "on pseudo masks and tiles of the bundled image at the config's scale.",
                "CONFIG is a YAML file or a bundled name (quickstart, stage1, stage2); KEY VALUE pairs override it, "
                        + "e.g. SOLVER.IMS_PER_BATCH 2 MODEL.DEVICE cuda."})
final class BenchPretrain implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", defaultValue = "quickstart", description = "Default: ${DEFAULT-VALUE}.")
    String config;

    @Parameters(index = "1..*", paramLabel = "KEY VALUE", description = "Overrides of config keys.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "5", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--profile-memory", description = "Also print, per phase of the timed iterations (G + S with the cycles, "
            + "path length, D_S, D_G, R1), how far resident memory rose above its level at the phase's start, and the process peak.")
    boolean profileMemory;

    @Override
    public Integer call() throws Exception {
        if (iters < 1 || warmup < 0) {
            throw new IllegalArgumentException("need --iters >= 1 and --warmup >= 0");
        }
        int threads = ((Main) spec.root().userObject()).threads;
        Torch.setThreads(threads);
        String scale = BundledConfigs.load(config, overrides).getStringList("CYCLE.SCALES").get(0);
        Path data = Files.createTempDirectory("unitpath-bench-data");
        try {
            DemoData.prepare(data, scale, 4, Math.max(1, Torch.threads()));
            List<String> o = new ArrayList<>(overrides);
            o.addAll(List.of("CYCLE.DATASET_ROOT", data.toString(), "CYCLE.DATASET_A_NAME", "masks",
                    "CYCLE.DATASET_B_NAME", "tissue", "OUTPUT_DIR", data.resolve("output").toString()));
            Config cfg = BundledConfigs.load(config, o);
            PretrainSettings st = SettingsFromConfig.resolve(cfg, 1);
            PhaseMemory memory = profileMemory ? PhaseMemory.on() : PhaseMemory.off();
            PretrainBench.Timing t = PretrainBench.run(st, warmup, iters, memory);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("bench pretrain %s at %s: G %.1fM, S %.1fM, D_G + D_S %.1fM parameters, device %s, %d threads%n", config,
                    scale, t.generatorParams() / 1e6, t.segmenterParams() / 1e6, t.discriminatorParams() / 1e6, Device.parse(st.device()),
                    Torch.threads());
            for (PretrainBench.Kind k : t.kinds()) {
                out.printf("%-44s median %9.1f ms  %7.2f images/s  (%d runs, %.1f%% of iterations)%n",
                        "iteration, " + k.name() + " (batch " + t.batch() + ")", k.medianMs(), t.batch() * 1000 / k.medianMs(), iters,
                        100 * k.share());
            }
            if (t.kinds().size() > 1) {
                out.printf("%-44s mean   %9.1f ms  %7.2f images/s%n", "mean over the lazy schedules", t.meanMs(),
                        t.batch() * 1000 / t.meanMs());
            }
            if (profileMemory) {
                out.printf("resident memory per phase (rise above the phase's start, highest RSS during it):%n%s", memory.table());
                out.printf("process peak RSS %.2f GB%n", ProcessMemory.peak() / 1073741824.0);
            }
            out.flush();
            return ExitCodes.OK;
        } finally {
            Tempdirs.delete(data);
        }
    }
}
