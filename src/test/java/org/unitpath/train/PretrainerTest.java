package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.report.MetricsLog;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.WeightNames;
import org.unitpath.torch.pt.PtFile;

/** The pretraining loop at a tiny size: outputs and exports, exact resume, divergence handling. */
class PretrainerTest {
    @TempDir
    static Path root;
    static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = root.resolve("data");
        PretrainFixtures.prepareData(data);
    }

    @Test
    void tinyRunFinishesWritesItsOutputsAndExportsLoadStrictly() throws Exception {
        Path out = root.resolve("run");
        Config cfg = PretrainFixtures.quickstart(PretrainFixtures.tinyOverrides(data, out));
        Pretrainer.Result r = PretrainFixtures.run(cfg, false);
        assertEquals(6, r.iterations());
        assertFalse(r.interrupted());
        for (Path p : List.of(r.report(), r.samples(), r.sExport(), r.backboneExport(), out.resolve("model_final.pt"),
                out.resolve("metrics.jsonl"), out.resolve("metrics.csv"), out.resolve("config.yaml"))) {
            assertTrue(Files.isRegularFile(p), "missing " + p);
        }
        SegmentationNetwork s = new SegmentationNetwork(SettingsFromConfig.resolve(cfg, 1).seg());
        assertTrue(s.loadStateDict(PtFile.readStateDict(r.sExport()), true).isClean(), "S.pt loads strictly");
        Map<String, Tensor> tv = PtFile.readStateDict(r.backboneExport());
        assertEquals(WeightNames.Naming.TORCHVISION, WeightNames.detect(tv));
        assertTrue(tv.containsKey("layer4.2.bn3.weight"));
        List<Map<String, Double>> records = MetricsLog.read(out);
        assertEquals(6, records.size());
        Map<String, Double> last = records.get(5);
        for (String k : List.of("loss_G_adv", "loss_S_adv", "loss_cycle_A", "loss_cycle_B", "loss_rpn_cls", "loss_mask",
                "loss_D_B", "loss_D_A", "ada_p", "lr", "swd", "mask_aji")) {
            assertTrue(last.containsKey(k) && records.get(2).containsKey(k), "metric " + k + " logged");
        }
        String html = Files.readString(r.report());
        assertTrue(html.contains("loss_cycle_A") && html.contains("data:image/png;base64"));
    }

    @Test
    void resumingFromACheckpointRepeatsTheUninterruptedRun() throws Exception {
        Path out = root.resolve("resume");
        Config cfg = PretrainFixtures.quickstart(PretrainFixtures.tinyOverrides(data, out));
        PretrainFixtures.run(cfg, false);
        List<Map<String, Double>> straight = MetricsLog.read(out);
        Files.delete(out.resolve("model_0000006.pt"));
        Pretrainer.Result resumed = PretrainFixtures.run(cfg, true);
        assertEquals(6, resumed.iterations());
        List<Map<String, Double>> after = MetricsLog.read(out);
        assertEquals(6, after.size());
        for (int i = 3; i < 6; i++) {
            for (String k : List.of("loss_G_S", "loss_D_B", "loss_D_A", "loss_cycle_A", "loss_mask")) {
                assertEquals(straight.get(i).get(k), after.get(i).get(k), 1e-6, k + " at iteration " + (i + 1));
            }
        }
        // iteration 4 runs path length from the pl_mean the checkpoint of iteration 3 restored
        assertTrue(straight.get(4).get("pl_mean") > 0);
        assertEquals(straight.get(4).get("pl_mean"), after.get(4).get("pl_mean"), 1e-9, "pl_mean resumed");
        assertEquals(straight.get(4).get("loss_G_pl"), after.get(4).get("loss_G_pl"), 1e-6);
    }

    @Test
    void aNonFiniteLossStopsTheRunAndNamesTheLastGoodCheckpoint() throws Exception {
        Path out = root.resolve("nan");
        List<String> o = PretrainFixtures.tinyOverrides(data, out);
        o.addAll(List.of("SOLVER.MAX_ITER", "4", "SOLVER.STEPS", "[2, 3]", "SOLVER.CHECKPOINT_PERIOD", "2"));
        PretrainFixtures.run(PretrainFixtures.quickstart(o), false);
        Files.delete(out.resolve("model_0000004.pt"));
        List<String> broken = PretrainFixtures.tinyOverrides(data, out);
        broken.addAll(List.of("SOLVER.MAX_ITER", "4", "SOLVER.STEPS", "[2, 3]", "SOLVER.CHECKPOINT_PERIOD", "2",
                "CYCLE.LAMBDA_CYCLE", "1e308"));
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> PretrainFixtures.run(PretrainFixtures.quickstart(broken), true));
        assertTrue(e.getMessage().contains("at iteration 2") && e.getMessage().contains("model_0000002.pt"), e.getMessage());
        assertTrue(PtFile.read(out.resolve("model_0000002.pt")) instanceof Map<?, ?>, "the last good checkpoint is intact");
    }

    @Test
    void benchTimesEachKindOfIterationApartAndWeighsThemByHowOftenTheyOccur() throws Exception {
        // R1 every 2 iterations, path length every 4: a cycle of 4 is PL + R1, plain, R1, plain
        Config cfg = PretrainFixtures.quickstart(PretrainFixtures.tinyOverrides(data, root.resolve("bench")));
        org.unitpath.report.PhaseMemory memory = org.unitpath.report.PhaseMemory.on();
        PretrainBench.Timing t = PretrainBench.run(SettingsFromConfig.resolve(cfg, 1), 0, 1, memory);
        assertEquals(2, t.batch());
        assertEquals(java.util.List.of("G + S, cycles", "G path length", "D_S", "D_G", "D_G R1"),
                new java.util.ArrayList<>(memory.usage().keySet()), "every phase of the cycle, in order");
        memory.usage().values().forEach(u -> assertTrue(u.riseBytes() >= 0 && u.peakBytes() > 0, u.toString()));
        Map<String, Double> share = new java.util.LinkedHashMap<>();
        double mean = 0;
        for (PretrainBench.Kind k : t.kinds()) {
            assertTrue(k.medianMs() > 0, t.toString());
            share.put(k.name(), k.share());
            mean += k.share() * k.medianMs();
        }
        assertEquals(Map.of("plain", 0.5, "with R1", 0.25, "with path length + R1", 0.25), share);
        assertEquals("plain", t.kinds().get(0).name());
        assertEquals(mean, t.meanMs(), 1e-9);
        assertTrue(t.generatorParams() > 0 && t.segmenterParams() > t.generatorParams());
    }
}
