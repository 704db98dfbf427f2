package org.unitpath.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unitpath.eval.classify.ReportFiles;
import org.unitpath.torch.Device;
import org.unitpath.transfer.FineTuner;
import org.unitpath.transfer.TrunkWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Full fine-tuning of trunk + linear head for tissue classification. */
@Command(name = "cls", mixinStandardHelpOptions = true,
        description = {"Fine-tune the whole trunk plus a linear head for tile classification on an image-folder dataset "
                + "(DIR/<CLASS>/*.tif|png|jpg, one folder per class, as Kather's NCT-CRC-HE-100K).",
                "Trains with cross-entropy, random flips and 90-degree rotations, Adam or SGD and a cosine learning rate; "
                + "scores the validation images after every epoch and keeps the best epoch (validation balanced accuracy) "
                + "as OUT/best.pt: torchvision names with the head as fc, loadable by torchvision.models.resnet50("
                + "num_classes=K, norm_layer=...). OUT/checkpoint.pt is written after every epoch; --resume continues from it.",
                "Writes OUT/metrics.jsonl and metrics.csv (per epoch), val_* and (with --test) test_* metrics and confusion "
                + "matrices of the best model, and summary.json."})
final class FinetuneClsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    FeatureOptions features;

    @Option(names = "--train", required = true, paramLabel = "DIR", description = "Training images, one folder per class.")
    Path train;

    @Option(names = "--val", paramLabel = "DIR", description = "Validation images (default: split --train, see --val-fraction).")
    Path val;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Without --val: the share of each class held out for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--test", paramLabel = "DIR", description = "Test images, scored once with the best model.")
    Path test;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for checkpoints and results.")
    Path out;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "1e-4", paramLabel = "LR", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    FineTuner.OptimizerKind optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "1e-4", paramLabel = "W",
            description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "NAME",
            description = "Learning rate over the run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    FineTuner.Schedule schedule;

    @Option(names = "--no-augment", description = "Train without flips and rotations.")
    boolean noAugment;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the head, the shuffling, the augmentation and the validation split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue the run in OUT from its checkpoint.pt.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        int threads = ((Main) spec.root().userObject()).threads;
        Device device = features.setUp(threads);
        if (val == null && !(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be in (0, 1), got " + valFraction);
        }
        FineTuner.Settings settings = new FineTuner.Settings(epochs, lr, optimizer, momentum, weightDecay, schedule, !noAugment,
                seed, features.size, features.batch, FeatureOptions.decodeThreads(threads), device, valFraction);
        TrunkWeights.Loaded trunk = TrunkWeights.load(features.weights);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("finetune cls: %s from %s on %s%n", trunk.describe(), features.weights, device);
        w.flush();
        FineTuner.Outcome o = new FineTuner(settings, out).run(trunk, train, val, test, resume);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("weights", features.weights.toString());
        info.put("best_epoch", o.bestEpoch());
        ReportFiles.write(out, "val_", o.validation(), info);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("classes", o.classes());
        summary.put("best_epoch", o.bestEpoch());
        summary.put("validation", o.validation().toJson());
        w.printf(Locale.ROOT, "best epoch %d; validation%n%s", o.bestEpoch(), o.validation().table());
        if (o.test() != null) {
            ReportFiles.write(out, "test_", o.test(), info);
            summary.put("test", o.test().toJson());
            w.printf(Locale.ROOT, "test%n%s", o.test().table());
        }
        ReportFiles.writeJson(out.resolve("summary.json"), summary);
        w.printf("best model: %s%n", out.resolve(FineTuner.BEST));
        w.flush();
        return ExitCodes.OK;
    }
}
