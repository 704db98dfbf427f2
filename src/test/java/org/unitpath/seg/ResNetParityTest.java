package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unitpath.testing.Fixtures;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.pt.PtFile;

/**
 * Numerical parity with torchvision: the same closed-form weights, loaded here through the
 * torchvision-to-Detectron2 renaming, give the features torchvision computed (reference made
 * by tools/fixtures/make_torch_fixtures.py with Debian's PyTorch 1.13 / torchvision 0.14).
 */
class ResNetParityTest {
    private static final double TOLERANCE = 1e-4;
    private static Map<String, Tensor> reference;
    private static Tensor input;

    @BeforeAll
    static void load() throws IOException {
        reference = PtFile.readStateDict(Fixtures.path("torch/resnet50_parity.pt"));
        input = Fixtures.formulaInput();
    }

    private static ResNet trunkWithFormulaWeights(String tag, String norm) {
        ResNet trunk = new ResNet(ResNetConfig.resnet50(norm));
        Map<String, Tensor> tv = Fixtures.formulaWeights(Fixtures.torchvisionShapes(tag));
        trunk.loadStateDict(WeightNames.toDetectron2(tv, ""), true);
        return trunk;
    }

    private static void assertClose(String key, Tensor actual) {
        Tensor expected = reference.get(key);
        assertArrayEquals(expected.shape(), actual.shape(), key + " shape");
        double diff = Tensors.maxAbsDiff(expected, actual);
        assertTrue(diff < TOLERANCE, key + ": max abs diff " + diff + " >= " + TOLERANCE);
    }

    private static Tensor head(Tensor t, long channels) {
        return t.narrow(1, 0, channels);
    }

    @Test
    void groupNormTrunkAndFpnMatchTorchvision() {
        ResNet trunk = trunkWithFormulaWeights("gn", "GN");
        Fpn fpn = new Fpn(trunk, ResNetConfig.ALL_STAGES, 256, "GN");
        Map<String, Tensor> fpnWeights = new LinkedHashMap<>();
        Fixtures.formulaWeights(Fixtures.torchvisionShapes("fpn")).forEach((k, v) -> fpnWeights.put(fpnName(k), v));
        fpn.stateDict().forEach((k, v) -> {
            if (k.startsWith("bottom_up.")) {
                fpnWeights.put(k, v);
            }
        });
        fpn.loadStateDict(fpnWeights, true);
        fpn.eval();
        try (NoGrad ng = NoGrad.enter()) {
            Map<String, Tensor> f = trunk.forward(input);
            assertClose("gn.res2_head", head(f.get("res2"), 16));
            assertClose("gn.res3_head", head(f.get("res3"), 32));
            assertClose("gn.res4", f.get("res4"));
            assertClose("gn.res5", f.get("res5"));
            assertClose("gn.pooled", trunk.pooled(input));
            Map<String, Tensor> p = fpn.forward(input);
            assertEquals(java.util.List.of("p2", "p3", "p4", "p5", "p6"), java.util.List.copyOf(p.keySet()));
            assertClose("gn.p2_head", head(p.get("p2"), 16));
            assertClose("gn.p3_head", head(p.get("p3"), 32));
            assertClose("gn.p4", p.get("p4"));
            assertClose("gn.p5", p.get("p5"));
            assertClose("gn.p6", p.get("p6"));
        }
    }

    @Test
    void batchNormTrunkInEvalModeMatchesTorchvision() {
        ResNet trunk = trunkWithFormulaWeights("bn", "BN");
        trunk.eval();
        try (NoGrad ng = NoGrad.enter()) {
            Map<String, Tensor> f = trunk.forward(input);
            assertClose("bn.res2_head", head(f.get("res2"), 16));
            assertClose("bn.res4", f.get("res4"));
            assertClose("bn.res5", f.get("res5"));
            assertClose("bn.pooled", trunk.pooled(input));
        }
    }

    @Test
    void frozenBatchNormTrunkMatchesTorchvisionBatchNormInEvalMode() {
        ResNet trunk = new ResNet(ResNetConfig.resnet50("BN").withFreezeAt(5));
        Map<String, Tensor> d2 = WeightNames.toDetectron2(Fixtures.formulaWeights(Fixtures.torchvisionShapes("bn")), "");
        d2.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        trunk.loadStateDict(d2, true);
        assertTrue(trunk.trainableParameters().isEmpty(), "FREEZE_AT 5 freezes every parameter");
        try (NoGrad ng = NoGrad.enter()) {
            assertClose("bn.res5", trunk.forward(input).get("res5"));
        }
    }

    @Test
    void exportHasExactlyTorchvisionNamesAndShapes() {
        ResNet trunk = new ResNet(ResNetConfig.resnet50GN());
        Map<String, Tensor> exported = WeightNames.toTorchvision(trunk.stateDict(), 1000);
        Map<String, long[]> expected = Fixtures.torchvisionShapes("gn");
        assertEquals(expected.keySet(), exported.keySet());
        expected.forEach((k, shape) -> assertArrayEquals(shape, exported.get(k).shape(), k));
        Tensor w = trunk.stateDict().get("res3.2.conv2.norm.weight");
        assertTrue(torch.equal(w, exported.get("layer2.2.bn2.weight")), "values travel with their names");
    }

    @Test
    void batchNormExportIncludesRunningStatistics() {
        Map<String, Tensor> exported = WeightNames.toTorchvision(new ResNet(ResNetConfig.resnet50("BN")).stateDict(), 1000);
        assertEquals(Fixtures.torchvisionShapes("bn").keySet(), exported.keySet());
    }

    /** torchvision FPN names (fpn.inner_blocks.i.0.weight) to Detectron2's (fpn_lateral{i+2}.weight). */
    private static String fpnName(String tv) {
        String[] p = tv.split("\\.");
        String conv = (p[1].equals("inner_blocks") ? "fpn_lateral" : "fpn_output") + (Integer.parseInt(p[2]) + 2);
        return conv + (p[3].equals("0") ? "." + p[4] : ".norm." + p[4]);
    }
}
