package org.unitpath.gan;

import java.util.Iterator;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;

/**
 * Exponential moving average of a generator's weights for sampling (StyleGAN2's G_ema):
 * ema <- p + beta (ema - p) with beta = 0.5^(batch / halfLifeImages); buffers are copied.
 */
public final class Ema {
    private final Module source;
    private final Module average;
    private final double halfLifeImages;

    /** {@code average} must be a module of the same architecture, e.g. a second instance. */
    public Ema(Module source, Module average, double halfLifeImages) {
        this.source = source;
        this.average = average;
        this.halfLifeImages = halfLifeImages;
        average.loadStateDict(source.stateDict(), true);
        average.eval().requiresGrad(false);
    }

    /** Images over which the weight of a past generator halves (EMA_KIMG x 1000). */
    public double halfLifeImages() {
        return halfLifeImages;
    }

    public Module average() {
        return average;
    }

    public void update(int batchSize) {
        double beta = Math.pow(0.5, batchSize / Math.max(halfLifeImages, 1e-8));
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Iterator<Tensor> src = source.parameters().iterator();
            for (Tensor e : average.parameters()) {
                Tensor p = src.next();
                e.copy_(p.detach().lerp(e, F.scalar(beta)));
            }
            Iterator<Tensor> srcBuffers = source.namedBuffers().values().iterator();
            for (Tensor b : average.namedBuffers().values()) {
                b.copy_(srcBuffers.next());
            }
        }
    }
}
