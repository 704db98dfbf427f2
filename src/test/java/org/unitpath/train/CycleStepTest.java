package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.data.CycleLoader;
import org.unitpath.data.CycleSample;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.ResnetGenerator;
import org.unitpath.optim.Adam;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** The phases one iteration runs, on the tiny quickstart (64x64, batch 2): which run when, and what each moves. */
class CycleStepTest {
    @TempDir
    static Path root;
    static Path data;
    static List<CycleSample> batch;

    @BeforeAll
    static void data() throws Exception {
        data = root.resolve("data");
        PretrainFixtures.prepareData(data);
        PretrainSettings st = settings();
        try (CycleLoader loader = DataSetup.loader(st, 0, 1, st.seed())) {
            batch = loader.next();
        }
    }

    private static PretrainSettings settings(String... extra) throws Exception {
        List<String> o = PretrainFixtures.tinyOverrides(data, root.resolve("out"));
        o.addAll(List.of(extra));
        return SettingsFromConfig.resolve(PretrainFixtures.quickstart(o), 1);
    }

    private static Map<String, Tensor> snapshot(Module m) {
        Map<String, Tensor> out = new HashMap<>();
        try (NoGrad ng = NoGrad.enter()) {
            m.namedParameters().forEach((k, p) -> out.put(k, MemoryScope.keep(p.detach().clone())));
        }
        return out;
    }

    private static boolean moved(Module m, Map<String, Tensor> before) {
        return m.namedParameters().entrySet().stream().anyMatch(e -> Tensors.maxAbsDiff(e.getValue(), before.get(e.getKey())) > 0);
    }

    private record Run(Networks nets, CycleStep step, List<CycleSample> batch) {}

    private static Run start(PretrainSettings st) throws Exception {
        Torch.seed(st.seed());
        Networks nets = new Networks(st, st.batchPerProcess(), Device.CPU);
        CycleStep step = new CycleStep(nets, Distributed.single(), Device.CPU);
        step.learningRate(1e-3);
        return new Run(nets, step, batch);
    }

    @Test
    void pathLengthIsItsOwnPhaseEveryFourthGStepAndRescalesGsGroupOnly() throws Exception {
        PretrainSettings st = settings();
        assertEquals(2.0, st.plWeight());
        assertEquals(4, st.plInterval());
        Run r = start(st);
        Adam.Group g = r.step().optimizers().get(0).groups().get(0);
        Adam.Group s = r.step().optimizers().get(0).groups().get(1);
        assertEquals(1e-3 * 4 / 5, g.lr, 1e-15, "G's learning rate times 4/5");
        assertEquals(Math.pow(0.99, 0.8), g.beta2, 1e-15, "and its betas to the power 4/5");
        assertEquals(1e-3, s.lr, 1e-15, "S keeps the plain learning rate");
        assertEquals(0.99, s.beta2, 1e-15);
        assertEquals(1e-3 * 2 / 3, r.step().optimizers().get(1).groups().get(0).lr, 1e-15, "D_G: R1 every 2 -> 2/3");
        Map<String, Double> first = r.step().run(r.batch(), 0);
        assertTrue(first.get("loss_G_pl") > 0 && first.get("pl_mean") > 0, first.toString());
        assertEquals(first.get("pl_mean"), r.step().pathLength().mean(), 1e-12);
        assertFalse(r.step().run(r.batch(), 1).containsKey("loss_G_pl"), "no path length at iteration 1");
        for (long it = 0; it < 12; it++) {
            assertEquals(it % 4 == 0, st.pathLengthAt(it), "iteration " + it);
        }
    }

    @Test
    void thePathLengthPhaseMovesGAndLeavesS() throws Exception {
        Run r = start(settings());
        Map<String, Tensor> g = snapshot(r.nets().g);
        Map<String, Tensor> s = snapshot(r.nets().s);
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor masks = Batches.maskImages(r.batch(), Device.CPU);
            new PathLengthStep(r.nets(), Distributed.single(), Device.CPU, r.step().optimizers().get(0)).run(masks, new HashMap<>());
        }
        assertTrue(moved(r.nets().g, g), "G regularised");
        assertFalse(moved(r.nets().s, s), "S untouched: it has no gradient in this phase");
    }

    @Test
    void withoutPathLengthGIsNotRescaled() throws Exception {
        Run r = start(settings("STYLEGAN.PL_WEIGHT", "0"));
        assertEquals(1e-3, r.step().optimizers().get(0).groups().get(0).lr, 1e-15);
        assertEquals(null, r.step().pathLength());
        assertFalse(r.step().run(r.batch(), 0).containsKey("loss_G_pl"));
    }

    @Test
    void criticDiscriminatorTrainsGAndSEveryNthIterationOnly() throws Exception {
        PretrainSettings st = settings("CYCLE.CRITIC_DISCRIMINATOR", "2");
        Run r = start(st);
        Map<String, Tensor> g = snapshot(r.nets().g);
        Map<String, Tensor> s = snapshot(r.nets().s);
        Map<String, Tensor> dA = snapshot(r.nets().dA);
        Map<String, Double> log0 = r.step().run(r.batch(), 0);
        assertFalse(moved(r.nets().g, g) || moved(r.nets().s, s), "(0 + 1) % 2 != 0: no G step, as in train_cycle.py");
        assertTrue(moved(r.nets().dA, dA), "the discriminators train every iteration");
        assertFalse(log0.containsKey("loss_G_S"));
        assertTrue(log0.containsKey("loss_D_B") && log0.containsKey("loss_D_A"));
        Map<String, Double> log1 = r.step().run(r.batch(), 1);
        assertTrue(moved(r.nets().g, g) && moved(r.nets().s, s));
        assertTrue(log1.containsKey("loss_G_S") && log1.containsKey("loss_G_pl"), "the first G step is also the first PL one");
        assertFalse(st.pathLengthAt(3) || st.pathLengthAt(5), "PL every 4th G step: iterations 1, 9, 17, ...");
        assertTrue(st.pathLengthAt(9));
    }

    /**
     * The ablation loop with the release's options: G(y) against y (G is deterministic here, so
     * the logged value is checked against G's weights before the step), and the GP gates.
     */
    @Test
    void identityAndGradientPenaltiesOfTheLegacyLoop() throws Exception {
        PretrainSettings st = settings("CYCLE.G_AB", "ResNet", "CYCLE.IDENTITY", "B", "CYCLE.LAMBDA_IDENTITY", "5.0",
                "CYCLE.GP_A", "True", "CYCLE.GP_B", "True", "CYCLE.LAMBDA_GP", "3.0");
        Run r = start(st);
        ResnetGenerator before = new ResnetGenerator();
        before.loadStateDict(r.nets().g.stateDict(), true);
        Map<String, Double> log = r.step().run(r.batch(), 0);
        double expected;
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor b = Batches.realImages(r.batch(), Device.CPU);
            expected = before.forward(b).sub(b).abs().mean().item_double();
        }
        assertEquals(expected, log.get("loss_idt"), 1e-5, "|G(y) - y|, mean");
        double seg = log.getOrDefault("loss_seg", 0.0);
        double total = 0.5 * (st.lambdaDB() * log.get("loss_G_adv") + st.lambdaDA() * log.get("loss_S_adv"))
                + st.lambdaCycle() / 2 * (st.lambdaA() * log.get("loss_cycle_A") + st.lambdaB() * log.get("loss_cycle_B"))
                + st.lambdaMrcnn() * seg + 5.0 * log.get("loss_idt");
        assertEquals(total, log.get("loss_G_S"), 1e-4 * Math.abs(total), "identity weighted LAMBDA_IDENTITY in the G/S loss");
        assertTrue(log.get("loss_D_A_gp") > 0 && log.get("loss_D_B_gp") > 0, "R1 on both PatchGANs: " + log);
    }

    @Test
    void aSingleGroupGsOptimizerStateIsSplitIntoGsAndSsGroups() {
        Map<String, Object> old = new java.util.LinkedHashMap<>(Map.of("0.lr", 1e-3, "0.0.step", 5L, "0.1.step", 5L, "0.2.step", 5L,
                "0.3.step", 4L));
        Map<String, Object> split = CycleStep.splitSingleGroupState(old, 2);
        assertEquals(Map.of("0.lr", 1e-3, "1.lr", 1e-3, "0.0.step", 5L, "0.1.step", 5L, "1.0.step", 5L, "1.1.step", 4L), split);
        assertEquals(split, CycleStep.splitSingleGroupState(split, 2), "a two-group state is kept as it is");
    }
}
