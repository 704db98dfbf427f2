package org.unitpath.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.data.CycleSample;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.PathLengthRegularizer;
import org.unitpath.gan.ReplayBuffer;
import org.unitpath.optim.Adam;
import org.unitpath.report.PhaseMemory;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;

/**
 * One iteration of the translation cycle (docs/method.md 1.3, 4.2, 4.3), in StyleGAN2-ADA's phase
 * order: the joint G + S step ({@link GeneratorStep}; every CRITIC_DISCRIMINATOR-th iteration),
 * G's path-length phase ({@link PathLengthStep}; lazy), D_S ({@link LsganDStep}), then D_G by its
 * {@link DgObjective}. Returns the scalar losses for logging.
 */
final class CycleStep {
    private final Networks nets;
    private final PretrainSettings st;
    private final Distributed dist;
    private final Device device;
    private final Adam optGS;
    private final Adam optDB;
    private final Adam optDA;
    private final double gRatio;
    private final double dRatio;
    private final ReplayBuffer poolA;
    private final ReplayBuffer poolB;
    private final GeneratorStep gMain;
    private final PathLengthStep gReg;
    private final DgObjective dG;
    private final LsganDStep dA;
    private PhaseMemory memory = PhaseMemory.off();

    CycleStep(Networks nets, Distributed dist, Device device) {
        this.nets = nets;
        this.st = nets.settings;
        this.dist = dist;
        this.device = device;
        // G and S share one optimizer (the release's); only G's group is rescaled for its lazy regulariser
        Adam.Group gGroup = st.pathLength()
                ? Adam.lazyGroup(nets.g.trainableParameters(), st.baseLr(), st.beta1(), st.beta2(), st.plInterval())
                : new Adam.Group(nets.g.trainableParameters(), st.baseLr(), st.beta1(), st.beta2(), 1e-8, 0);
        optGS = new Adam(gGroup, new Adam.Group(nets.s.trainableParameters(), st.baseLr(), st.beta1(), st.beta2(), 1e-8, 0));
        gRatio = st.pathLength() ? Adam.lazyRatio(st.plInterval()) : 1;
        optDB = st.lazyR1() ? Adam.lazy(nets.dB.trainableParameters(), st.baseLr(), st.beta1(), st.beta2(), st.r1Interval())
                : Adam.of(nets.dB.trainableParameters(), st.baseLr(), st.beta1(), st.beta2());
        dRatio = st.lazyR1() ? Adam.lazyRatio(st.r1Interval()) : 1;
        optDA = Adam.of(nets.dA.trainableParameters(), st.baseLr(), st.beta1(), st.beta2());
        poolA = new ReplayBuffer(st.replayBuffer(), st.seed());
        poolB = new ReplayBuffer(st.replayBuffer(), st.seed() + 1);
        dG = DgObjective.of(nets, optDB, poolB, dist);
        gMain = new GeneratorStep(nets, dist, device, optGS, dG);
        gReg = st.pathLength() ? new PathLengthStep(nets, dist, device, optGS) : null;
        dA = new LsganDStep(nets.dA, optDA, poolA, dist, st.lambdaDA(), st.lambdaGp(), st.gpA(), "loss_D_A");
    }

    /** Measures each phase's resident memory from now on (bench pretrain --profile-memory). */
    void profileMemory(PhaseMemory memory) {
        this.memory = memory;
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

    /** G's path-length regulariser (its running mean is checkpointed), or null when PL is off. */
    PathLengthRegularizer pathLength() {
        return gReg == null ? null : gReg.regularizer();
    }

    /** Sets the learning rate of every optimizer; the lazily regularised groups (G with PL, D_G with R1) keep their rescaling. */
    void learningRate(double lr) {
        optGS.groups().get(0).lr = lr * gRatio;
        optGS.groups().get(1).lr = lr;
        optDA.groups().forEach(g -> g.lr = lr);
        optDB.groups().forEach(g -> g.lr = lr * dRatio);
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
            GeneratorStep.Fakes fakes;
            if (st.generatorStepAt(iteration)) {
                fakes = memory.call("G + S, cycles", () -> gMain.run(batch, a, b, iteration, log));
                if (st.pathLengthAt(iteration)) {
                    memory.run("G path length", () -> gReg.run(a, log));
                }
            } else {
                fakes = memory.call("G, S fakes only", () -> gMain.fakesOnly(a, b));
            }
            memory.run("D_S", () -> dA.run(a, fakes.fakeA(), log));
            dG.train(b, fakes.fakeB(), iteration, log, memory);
            nets.ada.step(dist::allReduceSum);
            log.put("ada_p", nets.ada.p());
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

    /** Updates G's EMA; outside the gradient scopes. */
    void afterStep(int globalBatch) {
        if (nets.ema != null) {
            try (NoGrad ng = NoGrad.enter()) {
                nets.ema.update(globalBatch);
            }
        }
    }

    /**
     * Converts a G + S optimizer state saved when it was one group (G's parameters first, then
     * S's) to the two groups it has now, so such checkpoints resume with S's Adam moments.
     */
    static Map<String, Object> splitSingleGroupState(Map<String, ?> saved, int gParams) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (saved.containsKey("1.lr") || !saved.containsKey("0.lr")) {
            out.putAll(saved);
            return out;
        }
        List<String> keys = new ArrayList<>(saved.keySet());
        for (String k : keys) {
            String[] parts = k.split("\\.", 3);
            if (parts.length == 3 && parts[0].equals("0") && Integer.parseInt(parts[1]) >= gParams) {
                out.put("1." + (Integer.parseInt(parts[1]) - gParams) + "." + parts[2], saved.get(k));
            } else {
                out.put(k, saved.get(k));
            }
        }
        out.put("1.lr", saved.get("0.lr"));
        return out;
    }
}
