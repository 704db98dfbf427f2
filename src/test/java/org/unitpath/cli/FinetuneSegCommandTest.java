package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.data.SyntheticNuclei;
import org.unitpath.testing.TinySegRecipe;

/** {@code unitpath synthetic-nuclei} then {@code unitpath finetune seg} on it, from the command line. */
class FinetuneSegCommandTest {
    @TempDir
    Path dir;

    @Test
    void finetunesOnTheSyntheticDatasetFromTheCommandLine() {
        Path data = dir.resolve("data");
        CliTest.Run synth = CliTest.run("synthetic-nuclei", "--out", data.toString(), "--train", "2", "--test", "1", "--size", "96");
        assertEquals(0, synth.code(), synth.err());
        assertTrue(Files.isRegularFile(data.resolve("train.json")) && Files.isRegularFile(data.resolve("test.json")));

        List<String> args = new ArrayList<>(List.of("--threads", "2", "finetune", "seg", "kumar"));
        args.addAll(TinySegRecipe.overrides(data, dir.resolve("run"), 2));
        args.addAll(List.of("INPUT.CROP.SIZE", "[64, 64]", "DATASETS.TEST_JSON", "", "TEST.VAL_FRACTION", "0.2"));
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 iterations done") && r.out().contains("model_best.pt") && r.out().contains("aji")
                && r.out().contains("chosen by val_aji"), "no test set: the run validates on its held-out image\n" + r.out());
        assertTrue(Files.isRegularFile(dir.resolve("run/model_final.pt")));

        CliTest.Run bad = CliTest.run("finetune", "seg", "kumar", "DATASETS.TRAIN_JSON", dir.resolve("none.json").toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("none.json"), bad.err());
        CliTest.Run tooSmall = CliTest.run("synthetic-nuclei", "--out", data.toString(), "--size", "16");
        assertEquals(ExitCodes.BAD_INPUT, tooSmall.code());
    }
}
