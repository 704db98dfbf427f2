package org.unitpath.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.seg.Fpn;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.torch.Device;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Forward+backward time of the ResNet-50 trunk, then of trunk + FPN. */
@Command(name = "backbone", mixinStandardHelpOptions = true,
        description = {"Median ms per forward+backward and images/s of the ResNet-50 trunk, then of trunk + FPN.",
                "Compare with bench/bench_backbone.py, which times the same in Python PyTorch."})
final class BenchBackbone implements Callable<Integer> {
    @ParentCommand
    BenchCommand parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Option(names = "--batch", defaultValue = "2", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--size", defaultValue = "256", description = "Image side in pixels, a multiple of 32 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--norm", defaultValue = "GN", description = "GN, BN or FrozenBN (default: ${DEFAULT-VALUE}).")
    String norm;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int iters;

    @Override
    public Integer call() {
        if (batch < 1 || iters < 1 || warmup < 0 || size < 32 || size % 32 != 0) {
            throw new IllegalArgumentException("need --batch >= 1, --iters >= 1, --warmup >= 0 and --size a positive multiple of 32");
        }
        Main main = (Main) spec.root().userObject();
        Torch.setThreads(main.threads);
        Device dev = device.get();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("bench backbone: ResNet-50-%s, batch %d, 3x%dx%d, device %s, %d threads, libtorch %s%n",
                norm, batch, size, size, dev, Torch.threads(), Torch.version());
        Torch.seed(0);
        Tensor x = Tensors.randn(batch, 3, size, size).to(dev.toNative(), org.bytedeco.pytorch.global.torch.ScalarType.Float);
        ResNet trunk = new ResNet(ResNetConfig.resnet50(norm));
        trunk.to(dev);
        report(out, "trunk", StepTimer.timeBackward(() -> trunk.pooled(x).sum(), warmup, iters, dev));
        Fpn fpn = new Fpn(new ResNet(ResNetConfig.resnet50(norm)), ResNetConfig.ALL_STAGES, 256, norm);
        fpn.to(dev);
        report(out, "trunk+FPN", StepTimer.timeBackward(() -> sumAll(fpn.forward(x)), warmup, iters, dev));
        return ExitCodes.OK;
    }

    private static Tensor sumAll(Map<String, Tensor> levels) {
        Tensor total = null;
        for (Tensor t : levels.values()) {
            total = total == null ? t.sum() : total.add(t.sum());
        }
        return total;
    }

    private void report(PrintWriter out, String what, StepTimer.Result r) {
        out.printf("%-10s fwd+bwd %s%n", what, r.line(batch));
        out.flush();
    }
}
