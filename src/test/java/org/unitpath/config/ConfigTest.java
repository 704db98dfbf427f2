package org.unitpath.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsHoldEveryKeyWithItsType() {
        Config c = Config.defaults();
        assertEquals(0, c.getInt("SEED"), "the fork's default, which the release's Kumar recipe relies on");
        assertEquals("./output", c.getString("OUTPUT_DIR"));
        assertEquals(2, c.getInt("VERSION"));
        assertEquals(List.of("40x_256"), c.getStringList("CYCLE.SCALES"));
        assertEquals("ISG", c.getString("CYCLE.SEG_GUIDE_STRATEGY"));
        assertEquals("", c.getString("CYCLE.BA_SCRATCH"));
        assertEquals(10.0, c.getDouble("CYCLE.LAMBDA_CYCLE"));
        assertNull(c.getNullableString("CYCLE.IDENTITY"));
        assertTrue(c.getBool("CYCLE.MASKRCNN_ON"));
        assertEquals(50, c.getInt("CYCLE.REPLAY_BUFFER"));
        assertEquals("paper256", c.getString("STYLEGAN.BASE_CONFIG"));
        assertNull(c.getNullableDouble("STYLEGAN.TARGET"));
        assertEquals(10.0, c.getDouble("STYLEGAN.R1_GAMMA"));
        assertEquals(List.of("fid50k_full"), c.getStringList("STYLEGAN.METRICS"));
        assertEquals(List.of(127.5, 127.5, 127.5), c.getDoubleList("MODEL.PIXEL_MEAN"));
        assertEquals(List.of("res2", "res3", "res4", "res5"), c.getStringList("MODEL.FPN.IN_FEATURES"));
        assertEquals(List.of(32, 64, 128, 256, 512), c.getIntList("MODEL.ANCHOR_GENERATOR.SIZES"));
        assertEquals(List.of(0.3, 0.7), c.getDoubleList("MODEL.RPN.IOU_THRESHOLDS"));
        assertEquals(List.of(10.0, 10.0, 5.0, 5.0), c.getDoubleList("MODEL.ROI_BOX_HEAD.BBOX_REG_WEIGHTS"));
        assertEquals(3, c.getInt("MODEL.GBA.OUT_CHANNEL"));
        assertEquals(0.0004, c.getDouble("SOLVER.BASE_LR"));
        assertEquals(List.of(0.0, 0.99), c.getDoubleList("SOLVER.BETAS"));
        assertEquals(List.of(120000, 160000), c.getIntList("SOLVER.STEPS"));
        assertEquals("relative_range", c.getString("INPUT.CROP.TYPE"));
        assertEquals(List.of(0.8, 1.0), c.getDoubleList("INPUT.B_SCALE"));
        assertFalse(c.getBool("DATALOADER.STRICT"));
        assertEquals(64, c.getInt("TEST.SWD_IMAGES"));
        assertEquals("defaults", c.origin("SOLVER.BASE_LR"));
        assertEquals(List.of(), c.files());
        assertEquals(Schema.KEYS.size(), c.flatten().size());
        assertEquals(Config.defaults(), c);
        assertEquals(Config.defaults().hashCode(), c.hashCode());
    }

    @Test
    void gettersCheckKeysAndTypes() {
        Config c = Config.defaults();
        assertEquals(50.0, c.getDouble("MODEL.RESNETS.DEPTH"), "integers widen to double");
        assertEquals(List.of(120000.0, 160000.0), c.getDoubleList("SOLVER.STEPS"));
        var unknown = assertThrows(IllegalArgumentException.class, () -> c.getDouble("SOLVER.BASE_LRR"));
        assertEquals("unknown key SOLVER.BASE_LRR (did you mean SOLVER.BASE_LR?)", unknown.getMessage());
        var type = assertThrows(IllegalArgumentException.class, () -> c.getInt("SOLVER.BASE_LR"));
        assertTrue(type.getMessage().startsWith("SOLVER.BASE_LR holds a number"), type.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> c.getDouble("STYLEGAN.TARGET"));
        assertEquals("STYLEGAN.TARGET is None; read it with getNullableDouble", none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.getString("CYCLE.IDENTITY"));
        assertThrows(IllegalArgumentException.class, () -> c.getStringList("CYCLE.G_AB"));
        assertThrows(UnsupportedOperationException.class, () -> c.flatten().put("SEED", 3));
        assertThrows(UnsupportedOperationException.class, () -> c.getIntList("SOLVER.STEPS").add(1));
    }

    @Test
    void flattenGivesDottedKeysInSchemaOrder() {
        Map<String, Object> flat = Config.fromDefaults(List.of("STYLEGAN.TARGET", "0.7")).flatten();
        List<String> keys = List.copyOf(flat.keySet());
        assertEquals(List.of("SEED", "OUTPUT_DIR", "VERSION", "CYCLE.DATASET_ROOT"), keys.subList(0, 4));
        assertEquals("TEST.AUG.FLIP", keys.get(keys.size() - 1));
        assertEquals(0.7, flat.get("STYLEGAN.TARGET"));
        assertTrue(flat.containsKey("CYCLE.IDENTITY"));
        assertNull(flat.get("CYCLE.IDENTITY"));
    }

    @Test
    void toYamlNestsSectionsInSchemaOrder() {
        String yaml = Config.defaults().toYaml();
        assertTrue(yaml.startsWith("SEED: 0\nOUTPUT_DIR: ./output\nVERSION: 2\n\nCYCLE:\n  DATASET_ROOT: ./datasets\n"), yaml);
        assertTrue(yaml.contains("\n  SCALES: [40x_256]\n"), yaml);
        assertTrue(yaml.contains("\n  BA_SCRATCH: ''\n"), yaml);
        assertTrue(yaml.contains("\n  IDENTITY: null\n"), yaml);
        assertTrue(yaml.contains("\nMODEL:\n  DEVICE: auto\n"), yaml);
        assertTrue(yaml.contains("\n  RESNETS:\n    DEPTH: 50\n    NORM: GN\n"), yaml);
        assertTrue(yaml.contains("\n  BASE_LR: 0.0004\n"), yaml);
        assertTrue(yaml.contains("\n  STEPS: [120000, 160000]\n"), yaml);
        assertTrue(yaml.contains("\nINPUT:\n  CROP:\n    ENABLED: true\n    TYPE: relative_range\n    SIZE: [0.8, 0.8]\n"
                + "  B_SCALE: [0.8, 1.0]\n"), yaml);
        assertTrue(yaml.indexOf("\nCYCLE:") < yaml.indexOf("\nSTYLEGAN:") && yaml.indexOf("\nSTYLEGAN:") < yaml.indexOf("\nMODEL:")
                && yaml.indexOf("\nMODEL:") < yaml.indexOf("\nSOLVER:") && yaml.indexOf("\nSOLVER:") < yaml.indexOf("\nINPUT:")
                && yaml.indexOf("\nINPUT:") < yaml.indexOf("\nDATALOADER:") && yaml.indexOf("\nDATALOADER:") < yaml.indexOf("\nTEST:"));
    }

    @Test
    void toYamlRoundTrips() throws IOException {
        assertRoundTrip(Config.defaults());
        // values that must be quoted, numbers at the edges of plain notation, None-like strings
        assertRoundTrip(Config.fromDefaults(List.of(
                "OUTPUT_DIR", "'./out dir/it''s: #1 [x]'",
                "MODEL.WEIGHTS", "\"C:\\\\w\\tx.pt\"",
                "CYCLE.DATASET_A_NAME", "'123'",
                "CYCLE.DATASET_B_NAME", "'true'",
                "CYCLE.SEG_GUIDE_STRATEGY", "None",
                "CYCLE.IDENTITY", "'.5'",
                "CYCLE.SCALES", "['20x_256', '40x_256']",
                "STYLEGAN.METRICS", "['null', 'a,b', '-x', '']",
                "STYLEGAN.TARGET", "0.6",
                "STYLEGAN.AUG_PROB", "1e-9",
                "SOLVER.BASE_LR", "3.0000000000000001e-7",
                "SOLVER.GAMMA", "0.1234567890123",
                "CYCLE.LAMBDA_A", "12345678901",
                "SOLVER.STEPS", "[]",
                "SEED", "2147483647")));
    }

    private void assertRoundTrip(Config c) throws IOException {
        Path file = dir.resolve("printed.yaml");
        Files.writeString(file, c.toYaml());
        Config back = Config.load(file);
        assertEquals(c.flatten(), back.flatten(), c.toYaml());
        assertEquals(c, back);
        assertEquals(c.toYaml(), back.toYaml());
    }

    @Test
    void equalityIsByValueNotBySource() throws IOException {
        Path file = dir.resolve("a.yaml");
        Files.writeString(file, "SOLVER:\n  BASE_LR: 0.001\n");
        Config fromFile = Config.load(file);
        Config fromCli = Config.fromDefaults(List.of("SOLVER.BASE_LR", "0.001"));
        assertEquals(fromFile, fromCli);
        assertEquals(file.toString(), fromFile.origin("SOLVER.BASE_LR"));
        assertEquals("command line", fromCli.origin("SOLVER.BASE_LR"));
        assertNotEquals(Config.defaults(), fromCli);
    }

    @Test
    void nullableIntegersAcceptNoneAndIntegers() {
        Schema.Key key = new Schema.Key("X.N", ValueType.NULLABLE_INT, null, List.of());
        assertNull(ValueType.NULLABLE_INT.convert(YamlTree.parse("None", "t"), key, ""));
        assertNull(ValueType.NULLABLE_INT.convert(YamlTree.parse("~", "t"), key, ""));
        assertEquals(7, ValueType.NULLABLE_INT.convert(YamlTree.parse("7", "t"), key, ""));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ValueType.NULLABLE_INT.convert(YamlTree.parse("7.5", "t"), key, " in t"));
        assertEquals("X.N in t: expected an integer or None, got '7.5'", e.getMessage());
    }
}
