package org.unitpath.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unitpath.data.SyntheticNuclei;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unitpath synthetic-nuclei}: a small annotated dataset to try the downstream commands on. */
@Command(name = "synthetic-nuclei", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a small COCO-format nucleus dataset with exactly known instances (H&E-coloured images, "
                + "elliptical nuclei), to try finetune seg, compare, segment and evaluate without real data.",
                "Writes OUT/images/*.png, OUT/train.json and OUT/test.json in the layout of configs/seg/kumar.yaml."})
final class SyntheticNucleiCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output dataset folder.")
    Path out;

    @Option(names = "--train", defaultValue = "8", description = "Training images (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", defaultValue = "2", description = "Test images (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--size", defaultValue = "256", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed; the same seed gives the same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        SyntheticNuclei.write(out, train, test, size, seed);
        spec.commandLine().getOut().printf("synthetic-nuclei: %d training and %d test images of %d px in %s%n", train, test, size, out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
