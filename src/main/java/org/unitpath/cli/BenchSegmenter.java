package org.unitpath.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.seg.GtInstances;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.torch.Device;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Times S: a 'both' training step, and inference per 256 tile and per 1000x1000 image. */
@Command(name = "segmenter", mixinStandardHelpOptions = true,
        description = "Median ms of S (ResNet-50-FPN-GN Mask R-CNN + cycle head): training step in 'both' mode at 256x256, "
                + "inference per 256x256 tile and per 1000x1000 image.")
final class BenchSegmenter implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Option(names = "--batch", defaultValue = "2", description = "Training images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int iters;

    @Override
    public Integer call() {
        if (batch < 1 || iters < 1 || warmup < 0) {
            throw new IllegalArgumentException("need --batch >= 1, --iters >= 1 and --warmup >= 0");
        }
        Torch.setThreads(((Main) spec.root().userObject()).threads);
        Device dev = device.get();
        Torch.seed(0);
        SegmentationNetwork s = new SegmentationNetwork(SegConfig.release());
        s.to(dev);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("bench segmenter: S %.1fM parameters, device %s, %d threads%n", s.parameterCount() / 1e6, dev, Torch.threads());
        Tensor images = Tensors.randn(batch, 3, 256, 256).to(dev.toNative(), ScalarType.Float);
        List<GtInstances> gt = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            gt.add(syntheticNuclei(dev));
        }
        StepTimer.Result train = StepTimer.timeBackward(() -> {
            SegmentationNetwork.Both both = s.both(images, gt, null);
            Tensor total = both.cycle().abs().mean();
            for (Tensor l : both.losses().values()) {
                total = total.add(l);
            }
            return total;
        }, warmup, iters, dev);
        report(out, "train step (both, 256, batch " + batch + ")", train, batch);
        s.eval();
        Tensor tile = Tensors.randn(1, 3, 256, 256).to(dev.toNative(), ScalarType.Float);
        report(out, "inference 256x256 tile", StepTimer.time(() -> s.detect(tile), warmup, iters, dev), 1);
        Tensor big = Tensors.randn(1, 3, 1000, 1000).to(dev.toNative(), ScalarType.Float);
        report(out, "inference 1000x1000 image", StepTimer.time(() -> s.detect(big), warmup, Math.max(1, iters / 2), dev), 1);
        return ExitCodes.OK;
    }

    /** Twelve 24x24 square nuclei on a grid, as training targets. */
    private static GtInstances syntheticNuclei(Device dev) {
        int n = 12;
        float[] boxes = new float[4 * n];
        Tensor masks = org.bytedeco.pytorch.global.torch.zeros(new long[] {n, 256, 256},
                new org.bytedeco.pytorch.TensorOptions(ScalarType.Byte));
        try (NoGrad ng = NoGrad.enter()) {
            for (int i = 0; i < n; i++) {
                int x = 20 + 60 * (i % 4);
                int y = 30 + 70 * (i / 4);
                boxes[4 * i] = x;
                boxes[4 * i + 1] = y;
                boxes[4 * i + 2] = x + 24;
                boxes[4 * i + 3] = y + 24;
                masks.select(0, i).narrow(0, y, 24).narrow(1, x, 24).fill_(F.scalar(1L));
            }
        }
        var d = dev.toNative();
        return new GtInstances(MemoryScope.keep(Tensors.of(boxes, n, 4).to(d, ScalarType.Float)),
                MemoryScope.keep(org.bytedeco.pytorch.global.torch.zeros(new long[] {n},
                        new org.bytedeco.pytorch.TensorOptions(ScalarType.Long)).to(d, ScalarType.Long)),
                MemoryScope.keep(masks.to(d, ScalarType.Byte)));
    }

    private static void report(PrintWriter out, String what, StepTimer.Result r, int images) {
        out.printf("%-32s %s%n", what, r.line(images));
        out.flush();
    }
}
