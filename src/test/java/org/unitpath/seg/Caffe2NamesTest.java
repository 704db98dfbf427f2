package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.testing.Fixtures;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.pt.PtFile;
import org.unitpath.train.SegWeights;
import org.unitpath.transfer.TrunkWeights;

/** The Caffe2 fixtures come from tools/fixtures/make_c2_trunk_fixture.py; see fixtures/c2/SOURCE.md. */
class Caffe2NamesTest {
    private static final int[] BLOCKS = {3, 4, 6, 3};

    @TempDir
    Path dir;

    @Test
    void mapsEachKindOfBlob() {
        assertEquals("stem.conv1.weight", Caffe2Names.detectron2Name("conv1_w"));
        assertEquals("stem.conv1.norm.weight", Caffe2Names.detectron2Name("conv1_gn_s"));
        assertEquals("stem.conv1.norm.bias", Caffe2Names.detectron2Name("res_conv1_bn_b"));
        assertEquals("res2.0.shortcut.norm.bias", Caffe2Names.detectron2Name("res2_0_branch1_gn_b"));
        assertEquals("res4.5.conv2.norm.running_var", Caffe2Names.detectron2Name("res4_5_branch2b_bn_riv"));
        assertEquals("res5.2.conv3.weight", Caffe2Names.detectron2Name("res5_2_branch2c_w"));
        assertNull(Caffe2Names.detectron2Name("fc1000_w"));
        assertNull(Caffe2Names.detectron2Name("res2_0_branch2a_w_momentum"));
    }

    @Test
    void everyGroupNormBlobLandsUnderItsDetectron2NameWithItsValues() throws IOException {
        Map<String, Tensor> c2 = PtFile.readStateDict(Fixtures.path("c2/r50_gn_c2.pkl"));
        assertEquals(WeightNames.Naming.CAFFE2, WeightNames.detect(c2));
        Caffe2Names.Converted d2 = Caffe2Names.toDetectron2(c2, "r50_gn_c2.pkl");
        Map<String, String> expected = expectedNames("gn", "conv1_");
        assertEquals(expected.keySet(), d2.trunk().keySet());
        expected.forEach((name, blob) -> assertArrayEquals(formula(blob, c2.get(blob).numel()),
                Tensors.toFloats(d2.trunk().get(name)), name + " <- " + blob));
        assertArrayEquals(new long[] {4, 3, 7, 7}, d2.trunk().get("stem.conv1.weight").shape());
        assertArrayEquals(new long[] {48, 24, 1, 1}, d2.trunk().get("res5.0.shortcut.weight").shape());
        assertEquals(Set.of("fc1000_w", "fc1000_b", "conv1_w_momentum", "res2_0_branch2a_w_momentum"), Set.copyOf(d2.unused()));
        assertTrue(d2.inputHint().contains("INPUT.FORMAT BGR") && d2.inputHint().contains("[57.375, 57.12, 58.395]"), d2.inputHint());
    }

    @Test
    void msraAffineChannelGetsFrozenBatchNormStatistics() throws IOException {
        Map<String, Tensor> c2 = PtFile.readStateDict(Fixtures.path("c2/r50_msra_c2.pkl"));
        Caffe2Names.Converted d2 = Caffe2Names.toDetectron2(c2, "r50_msra_c2.pkl");
        Map<String, String> expected = expectedNames("bn", "res_conv1_");
        Set<String> withStatistics = new java.util.HashSet<>(expected.keySet());
        for (String k : expected.keySet()) {
            if (k.endsWith(".norm.weight")) {
                String norm = k.substring(0, k.length() - "weight".length());
                withStatistics.addAll(Set.of(norm + "running_mean", norm + "running_var"));
            }
        }
        assertEquals(withStatistics, d2.trunk().keySet());
        assertArrayEquals(formula("res_conv1_bn_s", 4), Tensors.toFloats(d2.trunk().get("stem.conv1.norm.weight")));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, Tensors.toFloats(d2.trunk().get("res2.0.conv3.norm.running_mean")));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, Tensors.toFloats(d2.trunk().get("res2.0.shortcut.norm.running_var")));
        assertEquals(Set.of("fc1000_w", "fc1000_b"), Set.copyOf(d2.unused()));
        assertTrue(d2.inputHint().contains("MODEL.PIXEL_STD [1.0, 1.0, 1.0]"), d2.inputHint());
    }

    @Test
    void trunkWeightsLoadsACaffe2File() throws IOException {
        TrunkWeights.Loaded loaded = TrunkWeights.load(Fixtures.path("c2/r50_msra_c2.pkl"));
        assertEquals(WeightNames.Naming.CAFFE2, loaded.naming());
        ResNetConfig c = loaded.trunk().config;
        assertEquals(50, c.depth());
        assertEquals("FrozenBN", c.norm());
        assertEquals(4, c.stemOutChannels());
        assertEquals(48, TrunkWeights.features(loaded.trunk()));
        assertArrayEquals(formula("res3_0_branch2b_w", 2 * 2 * 9),
                Tensors.toFloats(loaded.trunk().stateDict().get("res3.0.conv2.weight")));
    }

    @Test
    void modelWeightsInitialiseTheTrunkOfS() throws IOException {
        ResNetConfig tiny = new ResNetConfig(50, "FrozenBN", 0, false, ResNetConfig.ALL_STAGES, 4, 6, 1, 1);
        SegmentationNetwork s = new SegmentationNetwork(new SegConfig(tiny, 32, "GN", SegConfig.Heads.NONE,
                RpnConfig.fpnDefaults(), RoiHeadsConfig.nucleus(), SemSegConfig.ssg(), false, 8));
        String account = SegWeights.initialise(s, Fixtures.path("c2/r50_msra_c2.pkl").toString());
        assertTrue(account.contains("(caffe2 naming)"), account);
        assertArrayEquals(formula("res4_3_branch2a_w", 4 * 24),
                Tensors.toFloats(s.stateDict().get(WeightNames.TRUNK_PREFIX + "res4.3.conv1.weight")));
    }

    @Test
    void aMissingBlobIsNamedWithTheFile() throws IOException {
        Map<String, Tensor> c2 = new LinkedHashMap<>(PtFile.readStateDict(Fixtures.path("c2/r50_msra_c2.pkl")));
        c2.remove("res3_1_branch2b_w");
        Path broken = dir.resolve("broken.pt");
        PtFile.write(broken, c2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrunkWeights.load(broken));
        assertTrue(e.getMessage().contains("broken.pt") && e.getMessage().contains("[res3_1_branch2b_w]"), e.getMessage());

        Map<String, Tensor> gn = new LinkedHashMap<>(PtFile.readStateDict(Fixtures.path("c2/r50_gn_c2.pkl")));
        gn.remove("res5_2_branch2c_gn_b");
        e = assertThrows(IllegalArgumentException.class, () -> Caffe2Names.toDetectron2(gn, "gn.pkl"));
        assertTrue(e.getMessage().startsWith("gn.pkl: ") && e.getMessage().contains("res5_2_branch2c_gn_b"), e.getMessage());
    }

    /** Detectron2 name -> Caffe2 blob for the fixture's trunk, written out by hand rather than by the converter's rules. */
    private static Map<String, String> expectedNames(String kind, String stemNorm) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("stem.conv1.weight", "conv1_w");
        out.put("stem.conv1.norm.weight", stemNorm + kind + "_s");
        out.put("stem.conv1.norm.bias", stemNorm + kind + "_b");
        String[][] branches = {{"conv1", "branch2a"}, {"conv2", "branch2b"}, {"conv3", "branch2c"}, {"shortcut", "branch1"}};
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < BLOCKS[s]; i++) {
                for (String[] b : branches) {
                    if (b[0].equals("shortcut") && i > 0) {
                        continue;
                    }
                    String d2 = "res" + (s + 2) + "." + i + "." + b[0];
                    String c2 = "res" + (s + 2) + "_" + i + "_" + b[1];
                    out.put(d2 + ".weight", c2 + "_w");
                    out.put(d2 + ".norm.weight", c2 + "_" + kind + "_s");
                    out.put(d2 + ".norm.bias", c2 + "_" + kind + "_b");
                }
            }
        }
        return out;
    }

    /** The fixture script's values: ((crc32(name) + i * 2654435761) % 1999 - 999) / 1000. */
    private static float[] formula(String blob, long n) {
        CRC32 crc = new CRC32();
        crc.update(blob.getBytes(StandardCharsets.US_ASCII));
        long h = crc.getValue();
        float[] out = new float[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (((h + i * 2654435761L) % 1999 - 999) / 1000.0);
        }
        return out;
    }
}
