package org.unitpath.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.data.CycleSample;
import org.unitpath.data.SegGuide;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.LsganLoss;
import org.unitpath.optim.Adam;
import org.unitpath.seg.GtInstances;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.torch.Device;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;

/**
 * The joint G + S step (docs/method.md 4.2, 4.3; SG2ADA's {@code Gmain} widened to S): adversarial
 * both ways, cycle A->B->A and B->A->B, segmentation guidance on G's images, and the release's
 * optional identity loss, with one optimizer over G and S. Returns the detached fakes the
 * discriminators train on.
 */
final class GeneratorStep {
    /** G's images of the masks and S's mask images of the H&E tiles, detached. */
    record Fakes(Tensor fakeB, Tensor fakeA) {}

    private final Networks nets;
    private final PretrainSettings st;
    private final Distributed dist;
    private final Device device;
    private final Adam opt;
    private final DgObjective dG;
    private final LsganLoss lsgan = new LsganLoss();

    GeneratorStep(Networks nets, Distributed dist, Device device, Adam opt, DgObjective dG) {
        this.nets = nets;
        this.st = nets.settings;
        this.dist = dist;
        this.device = device;
        this.opt = opt;
        this.dG = dG;
    }

    Fakes run(List<CycleSample> batch, Tensor a, Tensor b, long iteration, Map<String, Double> log) {
        Tensor loss;
        Tensor fakeB;
        Tensor fakeA;
        try (MemoryScope forward = MemoryScope.open()) {
            fakeB = nets.generate(a).image();
            Tensor advG = dG.generatorLoss(fakeB);
            Map<String, Tensor> seg = new LinkedHashMap<>();
            Tensor recA = reconstructMasks(batch, fakeB, iteration, seg);
            fakeA = nets.s.cycle(b);
            Tensor advS = lsgan.loss(nets.dA.forward(fakeA), true);
            Tensor recB = nets.generate(fakeA).image();
            Tensor cycA = recA.sub(a).abs().mean();
            Tensor cycB = recB.sub(b).abs().mean();
            loss = advG.mul(F.scalar(st.lambdaDB())).add(advS.mul(F.scalar(st.lambdaDA()))).mul(F.scalar(0.5))
                    .add(cycA.mul(F.scalar(st.lambdaA())).add(cycB.mul(F.scalar(st.lambdaB()))).mul(F.scalar(st.lambdaCycle() / 2)));
            double segSum = 0;
            for (Map.Entry<String, Tensor> e : seg.entrySet()) {
                loss = loss.add(e.getValue().mul(F.scalar(st.lambdaMrcnn())));
                double v = e.getValue().item_double();
                log.put(e.getKey(), v);
                segSum += v;
            }
            if (st.identity()) {
                // the release's loss_id_B: G applied to an H&E tile should return it (train_cycle.py, L1 mean)
                Tensor idt = nets.generate(b).image().sub(b).abs().mean();
                loss = loss.add(idt.mul(F.scalar(st.lambdaIdentity())));
                log.put("loss_idt", idt.item_double());
            }
            log.put("loss_G_adv", advG.item_double());
            log.put("loss_S_adv", advS.item_double());
            log.put("loss_cycle_A", cycA.item_double());
            log.put("loss_cycle_B", cycB.item_double());
            if (!seg.isEmpty()) {
                log.put("loss_seg", segSum);
            }
            double total = loss.item_double();
            log.put("loss_G_S", total);
            if (!Double.isFinite(total)) {
                throw new ArithmeticException("the G/S loss is " + total + " at iteration " + iteration + ": training diverged");
            }
            loss = forward.moveOut(loss);
            fakeB = forward.moveOut(fakeB.detach());
            fakeA = forward.moveOut(fakeA.detach());
        }
        opt.zeroGrad();
        loss.backward();
        dist.averageGradients(nets.gsParameters());
        opt.step();
        return new Fakes(fakeB, fakeA);
    }

    /** The fakes of an iteration without a G step (CRITIC_DISCRIMINATOR > 1): the current G and S, no graph. */
    Fakes fakesOnly(Tensor a, Tensor b) {
        try (NoGrad ng = NoGrad.enter()) {
            return new Fakes(nets.generate(a).image().detach(), nets.s.cycle(b).detach());
        }
    }

    /** S on G's images: 'both' mode when guidance applies this iteration, else the cycle head alone. */
    private Tensor reconstructMasks(List<CycleSample> batch, Tensor fakeB, long iteration, Map<String, Tensor> seg) {
        boolean guide = st.guide() != SegGuide.NONE && st.seg().heads() != SegConfig.Heads.NONE
                && iteration % Math.max(1, st.mrcnnInterval()) == 0;
        if (!guide) {
            return nets.s.cycle(fakeB);
        }
        List<GtInstances> gt = st.seg().instanceHeads()
                ? batch.stream().map(x -> Batches.groundTruth(x.instances(), x.size(), device)).toList() : null;
        Tensor sem = st.seg().semanticHead() ? Batches.semanticMaps(batch, device) : null;
        SegmentationNetwork.Both both = nets.s.both(fakeB, gt, sem);
        seg.putAll(both.losses());
        return both.cycle();
    }
}
