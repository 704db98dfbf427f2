package org.unitpath.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.seg.Caffe2Names;
import org.unitpath.seg.WeightNames;
import org.unitpath.seg.WeightNames.Naming;
import org.unitpath.torch.pt.PtFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Renames ResNet trunk weights between Detectron2 and torchvision conventions. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert ResNet-50 weights between Detectron2 names (S.pt, backbone.bottom_up.*) and "
                + "torchvision names (conv1, bn1, layerN.M.convK, downsample.0/1).",
                "Reads .pt/.pth files written by torch.save (also checkpoints holding 'model', 'state_dict' or "
                + "'G_BA') and Detectron2 .pkl files."})
final class ConvertCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ConvertCommand.class);

    enum Target { torchvision, detectron2 }

    @Option(names = "--to", required = true, paramLabel = "NAMING",
            description = "Target naming: ${COMPLETION-CANDIDATES}.")
    Target to;

    @Option(names = "--fc-classes", paramLabel = "N", defaultValue = "1000",
            description = "torchvision only: add a zero fc layer of N classes so a stock torchvision.models.resnet50 "
                    + "loads the file with strict=True; 0 leaves it out (default: ${DEFAULT-VALUE}).")
    int fcClasses;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = WeightNames.TRUNK_PREFIX,
            description = "detectron2 only: name prefix of the trunk (default: ${DEFAULT-VALUE}; '' for a bare trunk).")
    String prefix;

    @Parameters(index = "0", paramLabel = "IN.pt", description = "Weights to convert.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.pt", description = "Where to write the converted weights.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (fcClasses < 0) {
            throw new IllegalArgumentException("--fc-classes must be >= 0, got " + fcClasses);
        }
        Map<String, Tensor> sd = PtFile.readStateDict(input);
        Naming naming = WeightNames.detect(sd);
        if (naming == Naming.UNKNOWN) {
            throw new IllegalArgumentException(input + ": no ResNet trunk found (neither stem.conv1.weight nor "
                    + "conv1.weight + layer1.* nor Caffe2's conv1_w + res2_0_branch2a_w); first names: " + sd.keySet().stream().limit(5).toList());
        }
        if (naming.name().equalsIgnoreCase(to.name())) {
            throw new IllegalArgumentException(input + ": already uses " + to + " names");
        }
        Map<String, Tensor> converted;
        if (naming == Naming.CAFFE2) {
            Map<String, Tensor> bare = Caffe2Names.toDetectron2(sd, input.toString()).trunk();
            converted = to == Target.torchvision ? WeightNames.toTorchvision(bare, fcClasses) : WeightNames.withPrefix(bare, prefix);
        } else {
            converted = to == Target.torchvision ? WeightNames.toTorchvision(sd, fcClasses) : WeightNames.toDetectron2(sd, prefix);
        }
        PtFile.write(output, converted);
        log.info("read {} tensors ({} names) from {}; wrote {} trunk tensors ({} names) to {}",
                sd.size(), naming.name().toLowerCase(java.util.Locale.ROOT), input, converted.size(), to, output);
        return ExitCodes.OK;
    }
}
