package org.unitpath.gan;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * z -> w: normalise z by its RMS, then fully connected leaky-ReLU layers with learning-rate
 * multiplier 0.01; tracks the moving average of w (beta 0.995) for truncation.
 */
public final class MappingNetwork extends Module {
    private static final double W_AVG_BETA = 0.995;
    private final List<FullyConnected> layers = new ArrayList<>();
    private final Tensor wAvg;

    public MappingNetwork(int zDim, int wDim, int numLayers, double lrMultiplier) {
        for (int i = 0; i < numLayers; i++) {
            layers.add(child("fc" + i, new FullyConnected(i == 0 ? zDim : wDim, wDim, Activation.LRELU, lrMultiplier, 0)));
        }
        wAvg = buffer("w_avg", Tensors.zeros(wDim));
    }

    /** N x zDim to N x wDim; {@code truncation} < 1 pulls w towards the tracked average. */
    public Tensor forward(Tensor z, double truncation, boolean updateAverage) {
        Tensor x = z.mul(z.square().mean(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional())
                .add(F.scalar(1e-8)).rsqrt());
        for (FullyConnected fc : layers) {
            x = fc.forward(x);
        }
        if (updateAverage && isTraining()) {
            try (NoGrad ng = NoGrad.enter()) {
                Tensor mean = x.detach().mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
                wAvg.copy_(mean.lerp(wAvg, F.scalar(W_AVG_BETA)));
            }
        }
        if (truncation != 1) {
            x = wAvg.lerp(x, F.scalar(truncation));
        }
        return x;
    }
}
