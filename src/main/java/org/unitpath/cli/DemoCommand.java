package org.unitpath.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.unitpath.config.Config;
import org.unitpath.data.DemoData;
import org.unitpath.transfer.TrunkWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unitpath demo}: the whole method end to end on the embedded data in a few minutes on a
 * laptop CPU: pseudo masks, domain-B tiles from the bundled H&E tiles, then the quickstart
 * pretraining run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the method end to end on embedded data (CPU, a few minutes): synthesise masks, cut tissue tiles "
                + "from the bundled H&E tiles (Kather et al., CC BY 4.0), pretrain with configs/pretrain/quickstart.yaml, "
                + "and print where the report, the sample grid and the exported backbone are."})
final class DemoCommand implements Callable<Integer> {
    private static final String SCALE = "10x_64";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", defaultValue = "demo-run", description = "Working folder (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--max-iter", defaultValue = "0", description = "Override SOLVER.MAX_ITER of the quickstart (0 keeps it).")
    int maxIter;

    @Option(names = "--resume", description = "Continue an interrupted demo.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int threads = ((Main) spec.root().userObject()).threads;
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Path data = dir.resolve("data");
        out.println("demo: synthesising pseudo nucleus masks and cutting the bundled H&E tiles (Kather et al., CC BY 4.0) ...");
        out.flush();
        DemoData.prepare(data, SCALE, 16, workers);
        Config cfg = BundledConfigs.load("quickstart", overrides(data));
        out.println("demo: pretraining (configs/pretrain/quickstart.yaml) ...");
        out.flush();
        int code = PretrainCommand.run(out, cfg, resume, threads);
        Path backbone = dir.resolve("output").resolve("backbone_torchvision.pt");
        if (code == ExitCodes.OK && Files.isRegularFile(backbone)) {
            // the quickstart trunk is narrower than torchvision's resnet50, which would refuse it
            out.printf("demo: the backbone is the quickstart's narrow trunk (%s), not torchvision's resnet50: "
                    + "unitpath embed / probe / finetune cls load it (org.unitpath.transfer.TrunkWeights reads the widths "
                    + "from the tensors)%n", TrunkWeights.load(backbone).describe());
            out.flush();
        }
        return code;
    }

    private List<String> overrides(Path data) {
        List<String> o = new java.util.ArrayList<>(List.of("CYCLE.DATASET_ROOT", data.toString(),
                "OUTPUT_DIR", dir.resolve("output").toString()));
        if (maxIter > 0) {
            o.addAll(List.of("SOLVER.MAX_ITER", Integer.toString(maxIter), "SOLVER.STEPS",
                    "[" + Math.max(1, maxIter * 2 / 3) + ", " + Math.max(2, maxIter * 7 / 8) + "]",
                    "SOLVER.WARMUP_ITERS", Integer.toString(Math.min(20, maxIter / 4))));
        }
        return o;
    }
}
