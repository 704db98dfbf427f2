package org.unitpath.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.gan.AugmentPipe;
import org.unitpath.gan.CoModGenerator;
import org.unitpath.gan.GanLosses;
import org.unitpath.gan.StyleGanConfig;
import org.unitpath.gan.StyleGanDiscriminator;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times G forward+backward and a D step with R1, without and with ADA's augmentation of every
 * image D sees (the R1 gradient then flows back through the pipe), at the paper's size and at
 * the demo size.
 */
@Command(name = "generator", mixinStandardHelpOptions = true,
        description = "Median ms per G forward+backward and per D step with R1 (co-modulated StyleGAN2), "
                + "also with ADA's 'bgc' pipe at probability --ada-p, at 256x256 (paper256) and at the 64x64 demo size.")
final class BenchGenerator implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Option(names = "--batch", defaultValue = "4", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--sizes", defaultValue = "256,64", split = ",", description = "Which configurations: 256 (paper256) and/or 64 (demo).")
    int[] sizes;

    @Option(names = "--ada-p", defaultValue = "0.6", description = "Augmentation probability of the ADA row; 0 skips it "
            + "(default: ${DEFAULT-VALUE}).")
    double adaP;

    @Override
    public Integer call() {
        if (batch < 1 || iters < 1 || warmup < 0) {
            throw new IllegalArgumentException("need --batch >= 1, --iters >= 1 and --warmup >= 0");
        }
        if (!(adaP >= 0 && adaP <= 1)) {
            throw new IllegalArgumentException("--ada-p must be between 0 and 1, got " + adaP);
        }
        Torch.setThreads(((Main) spec.root().userObject()).threads);
        Device dev = device.get();
        PrintWriter out = spec.commandLine().getOut();
        for (int size : sizes) {
            StyleGanConfig cfg = switch (size) {
                case 256 -> StyleGanConfig.paper256();
                case 64 -> StyleGanConfig.demo64();
                default -> throw new IllegalArgumentException("--sizes takes 256 and/or 64, got " + size);
            };
            Torch.seed(0);
            CoModGenerator g = new CoModGenerator(cfg);
            StyleGanDiscriminator d = new StyleGanDiscriminator(cfg);
            g.to(dev);
            d.to(dev);
            out.printf("bench generator: %dx%d, batch %d, G %.1fM / D %.1fM parameters, device %s, %d threads%n", size, size,
                    batch, g.parameterCount() / 1e6, d.parameterCount() / 1e6, dev, Torch.threads());
            Tensor mask = Tensors.randn(batch, 3, size, size).to(dev.toNative(), org.bytedeco.pytorch.global.torch.ScalarType.Float);
            Tensor real = Tensors.randn(batch, 3, size, size).to(dev.toNative(), org.bytedeco.pytorch.global.torch.ScalarType.Float);
            StepTimer.Result gStep = StepTimer.timeBackward(() -> g.forward(mask, g.sampleZ(mask, batch)).square().mean(),
                    warmup, iters, dev);
            report(out, "G fwd+bwd", gStep);
            Tensor fake;
            try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                fake = MemoryScope.keep(g.forward(mask, g.sampleZ(mask, batch)));
            }
            report(out, "D step+R1", dStep(d, UnaryOperator.identity(), real, fake, dev));
            if (adaP > 0) {
                AugmentPipe ada = AugmentPipe.bgc(0);
                ada.to(dev);
                ada.setP(adaP);
                report(out, String.format("D step+R1, ADA p=%.2f", adaP), dStep(d, ada::forward, real, fake, dev));
            }
        }
        return ExitCodes.OK;
    }

    /** The non-saturating D loss on (fake, real) plus the lazy R1 term, each image through {@code augment} first. */
    private StepTimer.Result dStep(StyleGanDiscriminator d, UnaryOperator<Tensor> augment, Tensor real, Tensor fake, Device dev) {
        return StepTimer.timeBackward(() -> {
            Tensor x = real.detach().requires_grad_(true);
            Tensor realLogits = d.forward(augment.apply(x));
            return GanLosses.discriminator(d.forward(augment.apply(fake)), realLogits).add(GanLosses.r1Loss(realLogits, x, 1.0, 16));
        }, warmup, iters, dev);
    }

    private void report(PrintWriter out, String what, StepTimer.Result r) {
        out.printf("%-21s %s%n", what, r.line(batch));
        out.flush();
    }
}
