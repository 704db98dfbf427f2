package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.eval.NucleusMetrics;
import org.unitpath.io.Npy;
import org.unitpath.io.Png;

class EvaluateCommandTest {
    @TempDir
    Path dir;

    private static final int[] TRUTH_A = {0, 1, 1, 0, 2, 2, 2, 0, 0};
    private static final int[] PRED_A = {0, 4, 4, 4, 9, 9, 0, 0, 0};
    private static final int[] TRUTH_B = {3, 3, 0, 0, 0, 0, 0, 5, 5};
    private static final int[] PRED_B = {1, 1, 0, 0, 0, 0, 0, 0, 2};

    /** truth/{a.png, b.npy} and pred/{a.npy, b.png}, 3x3 maps. */
    private void writeMaps() throws IOException {
        Files.createDirectories(dir.resolve("truth"));
        Files.createDirectories(dir.resolve("pred"));
        Png.writeGrey(dir.resolve("truth/a.png"), 3, 3, bytes(TRUTH_A));
        Npy.writeInt32(dir.resolve("truth/b.npy"), new Npy.IntMap(3, 3, TRUTH_B));
        Npy.writeInt32(dir.resolve("pred/a.npy"), new Npy.IntMap(3, 3, PRED_A));
        Png.writeGrey(dir.resolve("pred/b.png"), 3, 3, bytes(PRED_B));
    }

    private static byte[] bytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private CliTest.Run evaluate(String... extra) {
        String[] base = {"--threads", "1", "evaluate", "--truth", dir.resolve("truth").toString(), "--pred",
                dir.resolve("pred").toString()};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliTest.run(args);
    }

    @Test
    void labelImagesOfSegmentMatchTheirImages() throws Exception {
        writeMaps();
        String plain = evaluate("--format", "json").out();
        Files.move(dir.resolve("pred/a.npy"), dir.resolve("pred/a.labels.npy"));
        Files.move(dir.resolve("pred/b.png"), dir.resolve("pred/b.labels.png"));
        CliTest.Run r = evaluate("--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(plain, r.out());
    }

    @Test
    void foldersOfMapsGiveJsonWithPerImageRows() throws Exception {
        writeMaps();
        CliTest.Run r = evaluate("--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.get("images").asInt());
        double ajiA = NucleusMetrics.aji(3, 3, TRUTH_A, PRED_A);
        double ajiB = NucleusMetrics.aji(3, 3, TRUTH_B, PRED_B);
        assertEquals((ajiA + ajiB) / 2, j.get("aji").asDouble(), 1e-12);
        assertEquals("a", j.get("per_image").get(0).get("file").asText());
        assertEquals(ajiB, j.get("per_image").get(1).get("aji").asDouble(), 1e-12);
        assertEquals(2, j.get("per_image").get(1).get("truth_instances").asInt());
        for (String key : new String[] {"dice1", "dice", "dice2", "aji_plus", "dq", "sq", "pq", "pq_inclusive", "f1",
                "precision", "recall", "bpq"}) {
            assertTrue(j.has(key), key);
        }
        assertFalse(j.has("ap"), "no scores, no COCO AP");
        assertFalse(j.has("mpq"), "no classes");
    }

    @Test
    void tableNamesEachConventionAndOutWritesAFile() throws Exception {
        writeMaps();
        CliTest.Run r = evaluate();
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 images: truth "), r.out());
        assertTrue(r.out().contains("aji_plus"), r.out());
        assertTrue(r.out().contains("HoVer-Net AJI+, Hungarian one-to-one pairing"), r.out());
        assertTrue(r.out().contains("COCO AP needs scored predictions"), r.out());
        Path out = dir.resolve("reports/eval.json");
        r = evaluate("--format", "json", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("-> " + out), r.out());
        assertEquals(2, new ObjectMapper().readTree(out.toFile()).get("images").asInt());
    }

    @Test
    void cocoTruthAndResultsGiveCocoevalAp() throws Exception {
        Path truth = Path.of(getClass().getResource("/pycocotools/truth.json").toURI());
        Path results = Path.of(getClass().getResource("/pycocotools/results.json").toURI());
        CliTest.Run r = CliTest.run("evaluate", "--truth", truth.toString(), "--pred", results.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(5, j.get("images").asInt());
        // pycocotools' values for this scenario (test resources pycocotools/expected.json, useCats 1, maxDets 100)
        assertEquals(0.19148605498371768, j.get("ap").asDouble(), 1e-12);
        assertEquals(0.2567961493785867, j.get("box_ap").asDouble(), 1e-12);
        assertTrue(j.has("mpq") && j.has("mpq_plus"), "two categories on both sides");
        assertEquals("img3", j.get("per_image").get(0).get("file").asText(), "in image-id order");
    }

    @Test
    void missingCounterpartsAreAnErrorUnlessAllowed() throws Exception {
        writeMaps();
        Npy.writeInt32(dir.resolve("truth/c.npy"), new Npy.IntMap(3, 3, TRUTH_A));
        CliTest.Run r = evaluate();
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("1 ground-truth image in " + dir.resolve("truth") + " with no counterpart in "
                + dir.resolve("pred") + ": c"), r.err());
        assertTrue(r.err().contains("--allow-missing"), r.err());
        r = evaluate("--allow-missing", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, new ObjectMapper().readTree(r.out()).get("images").asInt());
    }

    @Test
    void badInputsFailWithOneLineNamingTheFile() throws Exception {
        writeMaps();
        Files.delete(dir.resolve("pred/b.png"));
        Npy.writeInt32(dir.resolve("pred/b.npy"), new Npy.IntMap(2, 3, new int[6]));
        CliTest.Run r = evaluate();
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("b: the ground truth (" + dir.resolve("truth/b.npy") + ") is 3x3 but the prediction ("
                + dir.resolve("pred/b.npy") + ") is 3x2"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Path results = dir.resolve("r.json");
        Files.writeString(results, "[{\"image_id\": 1, \"category_id\": 1, \"segmentation\": {\"size\": [3, 3], \"counts\": \"9\"}}]");
        Path truth = dir.resolve("t.json");
        Files.writeString(truth, "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 3, \"height\": 3}], \"annotations\": []}");
        r = CliTest.run("evaluate", "--truth", truth.toString(), "--pred", results.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains(results + ": [0]: missing 'score'"), r.err());
        r = CliTest.run("evaluate", "--truth", truth.toString(), "--pred", results.toString(), "--max-dets", "0");
        assertEquals(ExitCodes.USAGE, r.code());
    }

    @Test
    void classTablesEnableMultiClassMetrics() throws Exception {
        writeMaps();
        Files.writeString(dir.resolve("tc.json"), "{\"a\": {\"1\": 1, \"2\": 2}, \"b\": {\"3\": 1, \"5\": 2}}");
        Files.writeString(dir.resolve("pc.json"), "{\"a\": {\"4\": 1, \"9\": 2}, \"b\": {\"1\": 1, \"2\": 1}}");
        CliTest.Run r = evaluate("--format", "json", "--classes", dir.resolve("tc.json").toString(),
                "--pred-classes", dir.resolve("pc.json").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.has("mpq") && j.has("mpq_plus"), r.out());
        assertTrue(j.get("per_image").get(0).has("mpq"));
        Files.writeString(dir.resolve("pc.json"), "{\"a\": {\"4\": 1}, \"b\": {\"1\": 1, \"2\": 1}}");
        r = evaluate("--classes", dir.resolve("tc.json").toString(), "--pred-classes", dir.resolve("pc.json").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains(dir.resolve("pc.json") + ": a: no class for instance 9"), r.err());
    }
}
