package org.unitpath.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code _BASE_} chains and command-line overrides. */
class ConfigMergeTest {
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void childOverridesBaseAndInheritsTheRest() throws IOException {
        write("base.yaml", "SEED: 35\nSOLVER:\n  BASE_LR: 0.0004\n  MAX_ITER: 1000\n  STEPS: [500]\nCYCLE:\n  G_AB: ResNet\n");
        Path child = write("child.yaml", "_BASE_: base.yaml\nSOLVER:\n  BASE_LR: 1e-4\nCYCLE:\n  SCALES: ['20x_256']\n");
        Config c = Config.load(child);
        assertEquals(0.0001, c.getDouble("SOLVER.BASE_LR"));
        assertEquals(1000, c.getInt("SOLVER.MAX_ITER"), "sibling key of an overridden one is inherited");
        assertEquals(List.of(500), c.getIntList("SOLVER.STEPS"));
        assertEquals(35, c.getInt("SEED"));
        assertEquals("ResNet", c.getString("CYCLE.G_AB"));
        assertEquals(List.of("20x_256"), c.getStringList("CYCLE.SCALES"), "lists are replaced, not appended");
        assertEquals(12, c.getInt("SOLVER.IMS_PER_BATCH"), "keys no file sets keep their defaults");
        assertEquals(child.toString(), c.origin("SOLVER.BASE_LR"));
        assertEquals(dir.resolve("base.yaml").toString(), c.origin("SOLVER.MAX_ITER"));
        assertEquals(List.of(dir.resolve("base.yaml").toString(), child.toString()), c.files());
    }

    @Test
    void threeLevelChainWithRelativePathsFromDifferentFolders() throws IOException {
        write("configs/root.yaml", "SEED: 1\nOUTPUT_DIR: ./root\nSOLVER:\n  GAMMA: 0.5\n");
        write("configs/mid/mid.yaml", "_BASE_: ../root.yaml\nSEED: 2\nOUTPUT_DIR: ./mid\n");
        Path leaf = write("configs/mid/deeper/leaf.yaml", "_BASE_: ../mid.yaml\nSEED: 3\n");
        Config c = Config.load(leaf);
        assertEquals(3, c.getInt("SEED"));
        assertEquals("./mid", c.getString("OUTPUT_DIR"));
        assertEquals(0.5, c.getDouble("SOLVER.GAMMA"));
        assertEquals(3, c.files().size());
        assertEquals(dir.resolve("configs/root.yaml").toString(), c.origin("SOLVER.GAMMA"));

        Path other = write("elsewhere/x.yaml", "_BASE_: " + dir.resolve("configs/mid/mid.yaml") + "\nSEED: 9\n");
        assertEquals("./mid", Config.load(other).getString("OUTPUT_DIR"), "absolute base paths work too");
    }

    @Test
    void cyclesAreRejected() throws IOException {
        write("a.yaml", "_BASE_: b.yaml\n");
        Path b = write("b.yaml", "_BASE_: sub/../a.yaml\n");
        var e = assertThrows(IllegalArgumentException.class, () -> Config.load(b));
        assertTrue(e.getMessage().contains("_BASE_ cycle: " + b + " -> " + dir.resolve("a.yaml") + " -> " + b), e.getMessage());

        Path self = write("self.yaml", "_BASE_: ./self.yaml\n");
        var s = assertThrows(IllegalArgumentException.class, () -> Config.load(self));
        assertTrue(s.getMessage().startsWith(self + ": _BASE_ cycle"), s.getMessage());
    }

    @Test
    void missingOrBadBaseNamesThePathAndTheReferrer() throws IOException {
        Path child = write("child.yaml", "_BASE_: nowhere/base.yaml\nSEED: 1\n");
        var e = assertThrows(IOException.class, () -> Config.load(child));
        assertEquals(dir.resolve("nowhere/base.yaml") + ": no such file (the _BASE_ of " + child + ")", e.getMessage());
        var top = assertThrows(IOException.class, () -> Config.load(dir.resolve("missing.yaml")));
        assertEquals(dir.resolve("missing.yaml") + ": no such file", top.getMessage());
        Files.createDirectories(dir.resolve("folder.yaml"));
        var folder = assertThrows(IOException.class, () -> Config.load(dir.resolve("folder.yaml")));
        assertTrue(folder.getMessage().startsWith(dir.resolve("folder.yaml") + ": cannot read"), folder.getMessage());

        Path list = write("list.yaml", "_BASE_: [a.yaml]\n");
        var l = assertThrows(IllegalArgumentException.class, () -> Config.load(list));
        assertEquals("_BASE_ in " + list + ": expected the path of a base config, got a list", l.getMessage());
    }

    @Test
    void overridesApplyAfterFilesAndParseYamlValues() throws IOException {
        Path f = write("f.yaml", "SOLVER:\n  BASE_LR: 0.1\n");
        Config c = Config.load(f, List.of(
                "SOLVER.BASE_LR", "0.001",
                "CYCLE.SCALES", "['40x_256', '20x_256']",
                "SOLVER.STEPS", "[100, 200]",
                "SOLVER.MAX_ITER", "300",
                "STYLEGAN.TARGET", "None",
                "STYLEGAN.AUG_PROB", "0.2",
                "CYCLE.IDENTITY", "A",
                "CYCLE.SEG_GUIDE_STRATEGY", "None",
                "CYCLE.MASKRCNN_ON", "false",
                "CYCLE.BA_SCRATCH", "scratch",
                "MODEL.WEIGHTS", "",
                "MODEL.PIXEL_MEAN", "[0, 128, 255.5]",
                "CYCLE.LAMBDA_A", "2",
                "SEED", "-1"));
        assertEquals(0.001, c.getDouble("SOLVER.BASE_LR"));
        assertEquals("command line", c.origin("SOLVER.BASE_LR"));
        assertEquals(List.of("40x_256", "20x_256"), c.getStringList("CYCLE.SCALES"));
        assertEquals(List.of(100, 200), c.getIntList("SOLVER.STEPS"));
        assertNull(c.getNullableDouble("STYLEGAN.TARGET"));
        assertEquals(0.2, c.getNullableDouble("STYLEGAN.AUG_PROB"));
        assertEquals("A", c.getNullableString("CYCLE.IDENTITY"));
        assertEquals("None", c.getString("CYCLE.SEG_GUIDE_STRATEGY"), "the release's string-or-None keys keep 'None'");
        assertFalse(c.getBool("CYCLE.MASKRCNN_ON"));
        assertEquals("scratch", c.getString("CYCLE.BA_SCRATCH"));
        assertEquals("", c.getString("MODEL.WEIGHTS"));
        assertEquals(List.of(0.0, 128.0, 255.5), c.getDoubleList("MODEL.PIXEL_MEAN"), "integers accepted in number lists");
        assertEquals(2.0, c.getDouble("CYCLE.LAMBDA_A"));
        assertEquals(c, Config.load(f).withOverrides(List.of("SOLVER.BASE_LR", "0.001", "CYCLE.SCALES", "['40x_256', '20x_256']",
                "SOLVER.STEPS", "[100, 200]", "SOLVER.MAX_ITER", "300", "STYLEGAN.AUG_PROB", "0.2", "CYCLE.IDENTITY", "A",
                "CYCLE.SEG_GUIDE_STRATEGY", "None", "CYCLE.MASKRCNN_ON", "false", "CYCLE.BA_SCRATCH", "scratch",
                "MODEL.PIXEL_MEAN", "[0, 128, 255.5]", "CYCLE.LAMBDA_A", "2", "SEED", "-1")));
    }

    @Test
    void nullsAndYamlSpellingsInFiles() throws IOException {
        Path f = write("n.yaml", String.join("\n",
                "CYCLE:",
                "  IDENTITY: ~",
                "  SEG_GUIDE_STRATEGY: null",
                "  MASKRCNN_ON: no",
                "  MULTITASK: False",
                "STYLEGAN:",
                "  TARGET: null",
                "  AUG_PROB: '0.5'",
                "  CONDMOD: off",
                "SOLVER:",
                "  BASE_LR: 1e-3",
                "  GAMMA: 1",
                "  MAX_ITER: '2000'",
                "  STEPS: [1000]",
                "DATALOADER:",
                "TEST:",
                "  LOG_PERIOD: 5",
                ""));
        Config c = Config.load(f);
        assertNull(c.getNullableString("CYCLE.IDENTITY"));
        assertEquals("None", c.getString("CYCLE.SEG_GUIDE_STRATEGY"));
        assertFalse(c.getBool("CYCLE.MASKRCNN_ON"));
        assertFalse(c.getBool("CYCLE.MULTITASK"));
        assertNull(c.getNullableDouble("STYLEGAN.TARGET"));
        assertEquals(0.5, c.getNullableDouble("STYLEGAN.AUG_PROB"), "quoted numbers read as numbers, as yacs does");
        assertFalse(c.getBool("STYLEGAN.CONDMOD"));
        assertEquals(0.001, c.getDouble("SOLVER.BASE_LR"));
        assertEquals(1.0, c.getDouble("SOLVER.GAMMA"));
        assertEquals(2000, c.getInt("SOLVER.MAX_ITER"));
        assertEquals(5, c.getInt("TEST.LOG_PERIOD"));
        assertEquals(2, c.getInt("DATALOADER.NUM_WORKERS"), "an emptied section keeps its defaults");
    }

    @Test
    void emptyFileGivesTheDefaults() throws IOException {
        Path f = write("empty.yaml", "# nothing yet\n");
        Config c = Config.load(f);
        assertEquals(Config.defaults(), c);
        assertEquals(List.of(f.toString()), c.files());
    }
}
