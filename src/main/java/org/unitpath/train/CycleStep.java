package org.unitpath.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.data.CycleSample;
import org.unitpath.data.SegGuide;
import org.unitpath.gan.AdaController;
import org.unitpath.gan.GanLosses;
import org.unitpath.gan.LsganLoss;
import org.unitpath.gan.PatchDiscriminator;
import org.unitpath.gan.ReplayBuffer;
import org.unitpath.gan.StyleGanDiscriminator;
import org.unitpath.seg.GtInstances;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.torch.Device;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * One iteration of the translation cycle (METHOD.md 1.3, 4.2, 4.3): the joint G + S step
 * (adversarial both ways, cycle A->B->A and B->A->B, segmentation guidance on G's images), then
 * D_G (logistic + lazy R1 through ADA for StyleGAN, LSGAN otherwise) and D_S (LSGAN on a replay
 * buffer). Returns the scalar losses for logging.
 */
final class CycleStep {
    private final Networks nets;
    private final PretrainSettings st;
    private final Distributed dist;
    private final Device device;
    private final Adam optGS;
    private final Adam optDB;
    private final Adam optDA;
    private final ReplayBuffer poolA;
    private final ReplayBuffer poolB;
    private final LsganLoss lsgan = new LsganLoss();

    CycleStep(Networks nets, Distributed dist, Device device) {
        this.nets = nets;
        this.st = nets.settings;
        this.dist = dist;
        this.device = device;
        optGS = Adam.of(nets.gsParameters(), st.baseLr(), st.beta1(), st.beta2());
        optDB = st.styleGan() && st.r1Gamma() > 0
                ? Adam.lazy(nets.dB.trainableParameters(), st.baseLr(), st.beta1(), st.beta2(), st.r1Interval())
                : Adam.of(nets.dB.trainableParameters(), st.baseLr(), st.beta1(), st.beta2());
        optDA = Adam.of(nets.dA.trainableParameters(), st.baseLr(), st.beta1(), st.beta2());
        poolA = new ReplayBuffer(st.replayBuffer(), st.seed());
        poolB = new ReplayBuffer(st.replayBuffer(), st.seed() + 1);
    }

    List<Adam> optimizers() {
        return List.of(optGS, optDB, optDA);
    }

    ReplayBuffer poolA() {
        return poolA;
    }

    ReplayBuffer poolB() {
        return poolB;
    }

    /** Sets the learning rate of every optimizer (lazy groups keep their rescaling). */
    void learningRate(double lr) {
        double ratio = st.styleGan() && st.r1Gamma() > 0 ? st.r1Interval() / (st.r1Interval() + 1.0) : 1;
        optGS.groups().forEach(g -> g.lr = lr);
        optDA.groups().forEach(g -> g.lr = lr);
        optDB.groups().forEach(g -> g.lr = lr * ratio);
    }

    void reseed(long seed) {
        poolA.reseed(seed ^ 0x5DEECE66DL);
        poolB.reseed(seed ^ 0xB5297A4DL);
        nets.pipe.reseed(seed ^ 0x68E31DA4L);
    }

    private static final List<String> HEADLINE = List.of("loss_G_S", "loss_cycle_A", "loss_cycle_B", "loss_D_B");

    Map<String, Double> run(List<CycleSample> batch, long iteration) {
        Map<String, Double> log = new LinkedHashMap<>();
        try (MemoryScope step = MemoryScope.open()) {
            Tensor a = Batches.maskImages(batch, device);
            Tensor b = Batches.realImages(batch, device);
            Tensor fakeB = generatorStep(batch, a, b, iteration, log);
            discriminatorBStep(b, fakeB.detach(), iteration, log);
        }
        return headlineFirst(log);
    }

    /** The progress line shows the first few scalars, so the losses that tell training health lead. */
    private static Map<String, Double> headlineFirst(Map<String, Double> log) {
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (String key : HEADLINE) {
            if (log.containsKey(key)) {
                ordered.put(key, log.get(key));
            }
        }
        ordered.putAll(log);
        return ordered;
    }

    private Tensor generatorStep(List<CycleSample> batch, Tensor a, Tensor b, long iteration, Map<String, Double> log) {
        Tensor loss;
        Tensor fakeB;
        Tensor fakeA;
        try (MemoryScope forward = MemoryScope.open()) {
            Tensor z = st.styleGan() ? Tensors.randnLike(a, a.size(0), nets.translator().zDim()) : null;
            fakeB = nets.translator().translate(a, z);
            Tensor advG = nets.dB instanceof StyleGanDiscriminator d ? GanLosses.generator(d.forward(augment(fakeB)))
                    : lsgan.loss(patch(nets.dB, fakeB), true);
            Map<String, Tensor> seg = new LinkedHashMap<>();
            Tensor recA = reconstructMasks(batch, fakeB, iteration, seg);
            fakeA = nets.s.cycle(b);
            Tensor advS = lsgan.loss(nets.dA.forward(fakeA), true);
            Tensor z2 = st.styleGan() ? Tensors.randnLike(a, a.size(0), nets.translator().zDim()) : null;
            Tensor recB = nets.translator().translate(fakeA, z2);
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
        optGS.zeroGrad();
        loss.backward();
        dist.averageGradients(nets.gsParameters());
        optGS.step();
        discriminatorAStep(a, fakeA, log);
        return fakeB;
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

    private Tensor augment(Tensor images) {
        return nets.ada.mode() == AdaController.Mode.NOAUG ? images : nets.pipe.forward(images);
    }

    private static Tensor patch(Module d, Tensor x) {
        return ((PatchDiscriminator) d).forward(x);
    }

    private void discriminatorBStep(Tensor b, Tensor fakeB, long iteration, Map<String, Double> log) {
        Tensor loss;
        try (MemoryScope forward = MemoryScope.open()) {
            if (nets.dB instanceof StyleGanDiscriminator d) {
                boolean r1 = st.r1Gamma() > 0 && iteration % st.r1Interval() == 0;
                Tensor real = b.detach().requires_grad_(r1);
                Tensor realLogits = d.forward(augment(real));
                loss = GanLosses.discriminator(d.forward(augment(fakeB)), realLogits);
                log.put("loss_D_B", loss.item_double());
                if (r1) {
                    Tensor reg = GanLosses.r1Loss(realLogits, real, st.r1Gamma(), st.r1Interval());
                    log.put("loss_D_B_r1", reg.item_double());
                    loss = loss.add(reg);
                }
                nets.ada.observe(realLogits.detach());
            } else {
                Tensor pooled = poolB.pushAndPop(fakeB);
                loss = lsgan.loss(patch(nets.dB, pooled), false).add(lsgan.loss(patch(nets.dB, b), true))
                        .mul(F.scalar(0.5 * st.lambdaDB()));
                log.put("loss_D_B", loss.item_double());
            }
            loss = forward.moveOut(loss);
        }
        optDB.zeroGrad();
        loss.backward();
        dist.averageGradients(nets.dB.trainableParameters());
        optDB.step();
        nets.ada.step();
        log.put("ada_p", nets.ada.p());
    }

    private void discriminatorAStep(Tensor a, Tensor fakeA, Map<String, Double> log) {
        Tensor loss;
        try (MemoryScope forward = MemoryScope.open()) {
            Tensor pooled = poolA.pushAndPop(fakeA);
            loss = lsgan.loss(nets.dA.forward(pooled), false).add(lsgan.loss(nets.dA.forward(a), true))
                    .mul(F.scalar(0.5 * st.lambdaDA()));
            log.put("loss_D_A", loss.item_double());
            loss = forward.moveOut(loss);
        }
        optDA.zeroGrad();
        loss.backward();
        dist.averageGradients(nets.dA.trainableParameters());
        optDA.step();
    }

    /** Updates G's EMA; outside the gradient scopes. */
    void afterStep(int globalBatch) {
        if (nets.ema != null) {
            try (NoGrad ng = NoGrad.enter()) {
                nets.ema.update(globalBatch);
            }
        }
    }
}
