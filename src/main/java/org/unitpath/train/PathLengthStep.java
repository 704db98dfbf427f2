package org.unitpath.train;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.PathLengthRegularizer;
import org.unitpath.optim.Adam;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;

/**
 * SG2ADA's {@code Greg} phase: every PL_INTERVAL-th G step, path-length regularisation of G
 * alone on half the batch, with its own backward and a step of the joint optimizer, whose G
 * group is rescaled for it (lazy regularisation) while S's is not. S has no gradient here, so
 * its parameters are skipped by that step.
 */
final class PathLengthStep {
    private final Networks nets;
    private final Distributed dist;
    private final Adam opt;
    private final int interval;
    private final PathLengthRegularizer pl;

    PathLengthStep(Networks nets, Distributed dist, Device device, Adam opt) {
        this.nets = nets;
        this.dist = dist;
        this.opt = opt;
        this.interval = nets.settings.plInterval();
        this.pl = new PathLengthRegularizer(nets.settings.plWeight());
        pl.to(device);
    }

    PathLengthRegularizer regularizer() {
        return pl;
    }

    void run(Tensor masks, Map<String, Double> log) {
        Tensor loss;
        try (MemoryScope forward = MemoryScope.open()) {
            long n = Math.max(1, masks.size(0) / PathLengthRegularizer.BATCH_SHRINK);
            Networks.Generated gen = nets.generate(masks.narrow(0, 0, n));
            loss = pl.loss(gen.image(), gen.ws(), interval, dist::allReduceMean);
            log.put("loss_G_pl", loss.item_double());
            log.put("pl_mean", pl.mean());
            loss = forward.moveOut(loss);
        }
        opt.zeroGrad();
        loss.backward();
        dist.averageGradients(nets.g.trainableParameters());
        opt.step();
    }
}
