package org.unitpath.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;
import org.unitpath.transfer.MilDataset;
import org.unitpath.transfer.MilRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Slide-level classification from tile features with attention-based MIL, cross-validated. */
@Command(name = "mil", mixinStandardHelpOptions = true,
        description = {"Classify whole slides from their tile features with gated attention MIL (ABMIL, Ilse et al. 2018), "
                + "judged by stratified k-fold cross-validation.",
                "--features is the --out folder of 'unitpath embed' (one SLIDE.npy per slide, with SLIDE.tiles.csv); "
                + "--labels is a CSV of 'slide,label' rows, slide being the name of its .npy without the extension.",
                "Writes to --out: summary.json (auc_mean, auc_std, accuracy_mean, accuracy_std and per-fold auc, accuracy, "
                + "balanced_accuracy), predictions.csv (each slide scored by the fold model that did not train on it), "
                + "pooled_metrics.json and pooled_confusion.csv/.png over all slides, and attention/SLIDE.csv: the tile list "
                + "with the attention of each tile (they sum to 1 per slide), to map back onto the slide by x, y."})
final class MilCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--features", required = true, paramLabel = "DIR", description = "Folder of SLIDE.npy feature files.")
    Path features;

    @Option(names = "--labels", required = true, paramLabel = "CSV", description = "slide,label rows.")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the results.")
    Path out;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--epochs", defaultValue = "40", paramLabel = "N", description = "Epochs per fold (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "1e-4", paramLabel = "LR", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "1e-4", paramLabel = "W",
            description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the folds, the initialisation and the bag order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Torch.setThreads(((Main) spec.root().userObject()).threads);
        Device dev = device.get();
        MilRun.Settings settings = new MilRun.Settings(folds, epochs, lr, weightDecay, seed, dev);
        MilDataset data = MilDataset.load(labels, features);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "mil: %d slides, labels %s, %d features per tile, %d folds on %s%n", data.bags().size(),
                data.classes(), data.features(), folds, dev);
        w.flush();
        MilRun.Outcome o = new MilRun(settings).run(data, out);
        w.printf(Locale.ROOT, "%-6s %6s %6s %8s %9s%n", "fold", "train", "test", "auc", "accuracy");
        for (MilRun.Fold f : o.folds()) {
            w.printf(Locale.ROOT, "%-6d %6d %6d %8.4f %9.4f%n", f.index() + 1, f.train(), f.test(), f.auc(), f.accuracy());
        }
        w.printf(Locale.ROOT, "mean   auc %.4f ± %.4f, accuracy %.4f ± %.4f%n", o.aucMean(), o.aucStd(), o.accuracyMean(),
                o.accuracyStd());
        w.printf("results in %s (summary.json, predictions.csv, attention/)%n", out);
        w.flush();
        return ExitCodes.OK;
    }
}
