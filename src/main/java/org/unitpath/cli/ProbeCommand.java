package org.unitpath.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unitpath.torch.Device;
import org.unitpath.transfer.KnnProbe;
import org.unitpath.transfer.ProbeRun;
import org.unitpath.transfer.TrunkWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Linear probe and kNN on frozen features of an image-folder dataset. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Judge pretrained weights by tissue classification on frozen features: a linear probe "
                + "(logistic regression on standardised features, L2, trained to convergence with L-BFGS) and a "
                + "weighted kNN (k nearest by cosine similarity vote with weight exp(similarity / T)).",
                "Datasets use the image-folder layout of Kather's NCT-CRC-HE-100K / CRC-VAL-HE-7K: DIR/<CLASS>/*.tif|png|jpg, "
                + "one folder per class. Give --train and --test, or --train alone for a seeded stratified split.",
                "Writes to --out: linear_metrics.json and knn_metrics.json (balanced_accuracy, accuracy, macro_f1, "
                + "weighted_f1, quadratic_kappa, auc_macro, auc per class, ...), *_confusion.csv and *_confusion.png, "
                + "predictions.csv and summary.json. Features are cached under OUT/cache (or --cache)."})
final class ProbeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    FeatureOptions features;

    @Option(names = "--train", required = true, paramLabel = "DIR", description = "Training images, one folder per class.")
    Path train;

    @Option(names = "--test", paramLabel = "DIR", description = "Test images with the same class folders (default: split --train).")
    Path test;

    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Without --test: the share of each class held out for testing (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of the split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the results.")
    Path out;

    @Option(names = "--k", defaultValue = "" + KnnProbe.DEFAULT_K, paramLabel = "K", description = "kNN neighbours (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--temperature", defaultValue = "" + KnnProbe.DEFAULT_TEMPERATURE, paramLabel = "T",
            description = "kNN vote temperature (default: ${DEFAULT-VALUE}, as DINO).")
    double temperature;

    @Option(names = "--l2", paramLabel = "L",
            description = "Linear probe L2 weight, scikit-learn's 1/C (default: 100 / (features x classes)).")
    Double l2;

    @Option(names = "--max-iter", defaultValue = "1000", paramLabel = "N", description = "L-BFGS iteration cap (default: ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache folder (default: OUT/cache).")
    Path cache;

    @Override
    public Integer call() throws Exception {
        int threads = ((Main) spec.root().userObject()).threads;
        Device device = features.setUp(threads);
        if (k < 1 || !(temperature > 0) || maxIter < 1 || l2 != null && !(l2 >= 0)) {
            throw new IllegalArgumentException("need --k >= 1, --temperature > 0, --max-iter >= 1 and --l2 >= 0");
        }
        if (test == null && !(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        TrunkWeights.Loaded trunk = TrunkWeights.load(features.weights);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("probe: %s from %s on %s%n", trunk.describe(), features.weights, device);
        w.flush();
        ProbeRun.Settings settings = new ProbeRun.Settings(features.size, features.batch, FeatureOptions.decodeThreads(threads),
                device, testFraction, seed, k, temperature, l2, maxIter, cache != null ? cache : out.resolve("cache"));
        ProbeRun.Outcome o = ProbeRun.run(trunk, train, test, out, settings);
        w.printf(Locale.ROOT, "%d training and %d test images, %d features%n%n", o.train(), o.test(), o.features());
        w.printf(Locale.ROOT, "linear probe (L2 %.3g, L-BFGS %s after %d iterations)%n%s%n", o.l2(),
                o.fit().converged() ? "converged" : "stopped at the cap", o.fit().iterations(), o.linear().table());
        w.printf(Locale.ROOT, "kNN (k = %d, T = %s)%n%s%n", k, temperature, o.knn().table());
        w.printf("results in %s (summary.json, linear_*/knn_* metrics and confusion matrices, predictions.csv)%n", out);
        w.flush();
        return ExitCodes.OK;
    }
}
