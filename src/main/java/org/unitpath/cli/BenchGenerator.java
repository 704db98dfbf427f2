package org.unitpath.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Times G forward+backward and a D step with R1, at the paper's size and at the demo size. */
@Command(name = "generator", mixinStandardHelpOptions = true,
        description = "Median ms per G forward+backward and per D step with R1 (co-modulated StyleGAN2), "
                + "at 256x256 (paper256) and at the 64x64 demo size.")
final class BenchGenerator implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, cuda, cuda:N or auto (default).")
    String device;

    @Option(names = "--batch", defaultValue = "4", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--sizes", defaultValue = "256,64", split = ",", description = "Which configurations: 256 (paper256) and/or 64 (demo).")
    int[] sizes;

    @Override
    public Integer call() {
        if (batch < 1 || iters < 1 || warmup < 0) {
            throw new IllegalArgumentException("need --batch >= 1, --iters >= 1 and --warmup >= 0");
        }
        Torch.setThreads(((Main) spec.root().userObject()).threads);
        Device dev = Device.parse(device);
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
            StepTimer.Result dStep = StepTimer.timeBackward(() -> {
                Tensor x = real.detach().requires_grad_(true);
                Tensor realLogits = d.forward(x);
                return GanLosses.discriminator(d.forward(fake), realLogits).add(GanLosses.r1Loss(realLogits, x, 1.0, 16));
            }, warmup, iters, dev);
            report(out, "D step+R1", dStep);
        }
        return ExitCodes.OK;
    }

    private void report(PrintWriter out, String what, StepTimer.Result r) {
        out.printf("%-10s %s%n", what, r.line(batch));
        out.flush();
    }
}
