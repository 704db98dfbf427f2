package org.unitpath.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rejection names the full key and the file (or the command line), on one line. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    private String fileError(String yaml) throws IOException {
        Path p = dir.resolve("a.yaml");
        Files.writeString(p, yaml);
        var e = assertThrows(IllegalArgumentException.class, () -> Config.load(p));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage().replace(p.toString(), "configs/a.yaml");
    }

    private static String cliError(String... overrides) {
        var e = assertThrows(IllegalArgumentException.class, () -> Config.fromDefaults(List.of(overrides)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void unknownKeys() throws IOException {
        assertEquals("unknown key CYCLE.LAMBDA_X in configs/a.yaml (did you mean CYCLE.LAMBDA_A?)",
                fileError("CYCLE:\n  LAMBDA_X: 1.0\n"));
        assertEquals("unknown key CYCEL in configs/a.yaml (did you mean CYCLE?)", fileError("CYCEL:\n  LAMBDA_A: 1.0\n"));
        assertEquals("unknown key MODEL.RPN.NMS_THRES in configs/a.yaml (did you mean MODEL.RPN.NMS_THRESH?)",
                fileError("MODEL:\n  RPN:\n    NMS_THRES: 0.5\n"));
        assertEquals("unknown key DATASETS.TRAIN_JSONS in configs/a.yaml (did you mean DATASETS.TRAIN_JSON?)",
                fileError("DATASETS:\n  TRAIN_JSONS: x\n"));
        assertEquals("unknown key WANDB in configs/a.yaml", fileError("WANDB:\n  PROJECT: x\n"));
        assertEquals("unknown key solver.base_lr on the command line (did you mean SOLVER.BASE_LR?)",
                cliError("solver.base_lr", "0.1"));
        assertEquals("unknown key CYCLE.LAMBDA_X on the command line (did you mean CYCLE.LAMBDA_A?)",
                cliError("CYCLE.LAMBDA_X", "1"));
        assertEquals("unknown key MODEL.BACKBONE.KIND on the command line", cliError("MODEL.BACKBONE.KIND", "x"));
        assertEquals("unknown key CYCLE._BASE_ in configs/a.yaml",
                fileError("CYCLE:\n  _BASE_: x.yaml\n"));
    }

    @Test
    void wrongTypes() throws IOException {
        assertEquals("SOLVER.BASE_LR in configs/a.yaml: expected a number, got 'fast'", fileError("SOLVER:\n  BASE_LR: fast\n"));
        assertEquals("SOLVER.MAX_ITER in configs/a.yaml: expected an integer, got '1.5'", fileError("SOLVER:\n  MAX_ITER: 1.5\n"));
        assertEquals("SOLVER.MAX_ITER in configs/a.yaml: expected an integer, got '99999999999'",
                fileError("SOLVER:\n  MAX_ITER: 99999999999\n"));
        assertEquals("CYCLE.MASKRCNN_ON in configs/a.yaml: expected true or false, got '1'", fileError("CYCLE:\n  MASKRCNN_ON: 1\n"));
        assertEquals("CYCLE.SCALES in configs/a.yaml: expected a list of strings, got '40x_256'",
                fileError("CYCLE:\n  SCALES: 40x_256\n"));
        assertEquals("SOLVER.STEPS in configs/a.yaml: expected a list of integers, got a list",
                fileError("SOLVER:\n  STEPS: [1000, x]\n"));
        assertEquals("SOLVER.BASE_LR in configs/a.yaml: expected a number, got a list", fileError("SOLVER:\n  BASE_LR: [1]\n"));
        assertEquals("SOLVER.BASE_LR in configs/a.yaml: expected a number, got None (null)", fileError("SOLVER:\n  BASE_LR:\n"));
        assertEquals("STYLEGAN.TARGET in configs/a.yaml: expected a number or None, got '.inf'",
                fileError("STYLEGAN:\n  TARGET: .inf\n"));
        assertEquals("MODEL.WEIGHTS in configs/a.yaml: expected a string, got None (null)", fileError("MODEL:\n  WEIGHTS: ~\n"));
        assertEquals("SOLVER.BASE_LR on the command line: expected a number, got 'fast'", cliError("SOLVER.BASE_LR", "fast"));
        assertEquals("SOLVER.STEPS on the command line: expected a list of integers, got '1000'", cliError("SOLVER.STEPS", "1000"));
    }

    @Test
    void sectionsAndValuesInTheWrongPlace() throws IOException {
        assertEquals("SOLVER.BASE_LR in configs/a.yaml: expected a number, got a section (a mapping of keys)",
                fileError("SOLVER:\n  BASE_LR:\n    VALUE: 1\n"));
        assertEquals("CYCLE in configs/a.yaml: expected a section (a mapping of keys such as CYCLE.DATASET_ROOT), got '3'",
                fileError("CYCLE: 3\n"));
        assertEquals("MODEL.RPN in configs/a.yaml: expected a section (a mapping of keys such as MODEL.RPN.BATCH_SIZE_PER_IMAGE), "
                + "got a list", fileError("MODEL:\n  RPN: [1, 2]\n"));
        assertEquals("configs/a.yaml: expected a mapping of config keys at the top level, got a list", fileError("- SEED\n- 1\n"));
        assertEquals("SOLVER on the command line: is a section; override one of its keys, e.g. SOLVER.IMS_PER_BATCH",
                cliError("SOLVER", "{BASE_LR: 1}"));
        assertEquals("command line: _BASE_ can only be set in a config file", cliError("_BASE_", "a.yaml"));
    }

    @Test
    void oddOverrides() {
        assertEquals("command line: overrides come as KEY VALUE pairs, but 'SEED' has no value (3 tokens)",
                cliError("SOLVER.BASE_LR", "0.1", "SEED"));
    }

    @Test
    void malformedYamlGivesLineAndColumn() throws IOException {
        String m = fileError("SEED: 1\nCYCLE:\n  SCALES: [40x_256\n  G_AB: StyleGAN\n");
        assertTrue(m.startsWith("configs/a.yaml: malformed YAML at line 4, column 7: "), m);
        String tab = fileError("CYCLE:\n\tG_AB: ResNet\n");
        assertTrue(tab.startsWith("configs/a.yaml: malformed YAML at line 2, column 1: ") && tab.contains("TAB"), tab);
        assertEquals("configs/a.yaml: key SOLVER.BASE_LR appears twice (again at line 3)",
                fileError("SOLVER:\n  BASE_LR: 0.1\n  BASE_LR: 0.2\n"));
        assertTrue(fileError("SEED: 1\n---\nSEED: 2\n").contains("more than one YAML document"));
        assertTrue(fileError("SEED: &s 1\nVERSION: *s\n").contains("VERSION: YAML aliases"));
        String cli = cliError("CYCLE.SCALES", "[40x_256");
        assertTrue(cli.startsWith("CYCLE.SCALES on the command line (value '[40x_256'): malformed YAML at line 1"), cli);
        Path binary = dir.resolve("b.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        var e = assertThrows(IllegalArgumentException.class, () -> Config.load(binary));
        assertEquals(binary + ": not UTF-8 text; is it a config file?", e.getMessage());
    }

    @Test
    void semanticValidation() throws IOException {
        assertEquals("CYCLE.G_AB in configs/a.yaml: expected one of [StyleGAN, ResNet, UNet], got Resnet",
                fileError("CYCLE:\n  G_AB: Resnet\n"));
        assertEquals("CYCLE.SEG_GUIDE_STRATEGY on the command line: expected one of [ISG, SSG, None], got isg",
                cliError("CYCLE.SEG_GUIDE_STRATEGY", "isg"));
        assertEquals("CYCLE.MASK_FORMAT on the command line: expected one of [multichannel, 2channel, grey, binary], got rgb",
                cliError("CYCLE.MASK_FORMAT", "rgb"));
        assertEquals("STYLEGAN.AUG on the command line: expected one of [ada, noaug, fixed], got bgc", cliError("STYLEGAN.AUG", "bgc"));
        assertEquals("STYLEGAN.BASE_CONFIG on the command line: expected one of [paper256, demo64], got paper512 "
                + "(StyleGAN2-ADA's other base configs (auto, stylegan2, paper512, ...) are not implemented)",
                cliError("STYLEGAN.BASE_CONFIG", "paper512"));
        assertEquals("CYCLE.BA_SCRATCH on the command line: expected one of ['', scratch], got Scratch",
                cliError("CYCLE.BA_SCRATCH", "Scratch"));
        assertEquals("MODEL.RESNETS.OUT_FEATURES on the command line: expected one of [stem, res2, res3, res4, res5], got res6",
                cliError("MODEL.RESNETS.OUT_FEATURES", "[res2, res6]"));
        assertEquals("SOLVER.IMS_PER_BATCH on the command line: must be > 0, got 0", cliError("SOLVER.IMS_PER_BATCH", "0"));
        assertEquals("SOLVER.BASE_LR in configs/a.yaml: must be > 0, got -0.1", fileError("SOLVER:\n  BASE_LR: -0.1\n"));
        assertEquals("SOLVER.MAX_ITER on the command line: must be > 0, got 0", cliError("SOLVER.MAX_ITER", "0", "SOLVER.STEPS", "[]"));
        assertEquals("SOLVER.STEPS on the command line: steps must be > 0, increase and lie below SOLVER.MAX_ITER = 180000 "
                + "(the default), got [160000, 120000]", cliError("SOLVER.STEPS", "[160000, 120000]"));
        assertEquals("SOLVER.STEPS (default): steps must be > 0, increase and lie below SOLVER.MAX_ITER = 1000 "
                + "(set in configs/a.yaml), got [120000, 160000]", fileError("SOLVER:\n  MAX_ITER: 1000\n"));
        assertEquals("CYCLE.SCALES on the command line: scale '30x_256' must read <magnification>x_<size> with a magnification "
                + "dividing 40 and a size of at least 8, e.g. 40x_256", cliError("CYCLE.SCALES", "['30x_256']"));
        assertTrue(cliError("CYCLE.SCALES", "['40x256']").startsWith("CYCLE.SCALES on the command line: scale '40x256' must"));
        assertEquals("CYCLE.SCALES on the command line: needs at least one scale such as 40x_256", cliError("CYCLE.SCALES", "[]"));
        assertEquals("CYCLE.SCALES on the command line: all scales must share one size, got [40x_256, 20x_128]",
                cliError("CYCLE.SCALES", "[40x_256, 20x_128]"));
        assertEquals("CYCLE.SCALES on the command line: the StyleGAN generator needs a power-of-two size, got 96 "
                + "(or set STYLEGAN.RESOLUTION)", cliError("CYCLE.SCALES", "['40x_96']"));
        assertEquals("STYLEGAN.TARGET on the command line: must be None (0.6) or lie in (0, 1), got 1.5",
                cliError("STYLEGAN.TARGET", "1.5"));
        assertEquals("MODEL.RPN.IOU_THRESHOLDS on the command line: expected 2 values, got [0.5]",
                cliError("MODEL.RPN.IOU_THRESHOLDS", "[0.5]"));
        assertEquals("MODEL.FPN.OUT_CHANNELS on the command line: must be a multiple of 32 for GroupNorm(32) (MODEL.FPN.NORM is GN), "
                + "got 100", cliError("MODEL.FPN.OUT_CHANNELS", "100"));
        assertEquals("MODEL.DEVICE on the command line: expected auto, cpu, cuda or cuda:N, got 'gpu'", cliError("MODEL.DEVICE", "gpu"));
        assertEquals("INPUT.B_SCALE on the command line: expected [min, max] with 0 < min <= max <= 1, got [0.9, 0.8]",
                cliError("INPUT.B_SCALE", "[0.9, 0.8]"));
        // fixed by the command line: a file's invalid value may be corrected before validation
        Path p = dir.resolve("fix.yaml");
        Files.writeString(p, "SOLVER:\n  MAX_ITER: 1000\n");
        assertEquals(List.of(500), Config.load(p, List.of("SOLVER.STEPS", "[500]")).getIntList("SOLVER.STEPS"));
    }
}
