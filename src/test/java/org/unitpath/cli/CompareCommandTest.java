package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.data.SyntheticNuclei;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.testing.TinySegRecipe;
import org.unitpath.torch.pt.PtFile;
import org.unitpath.train.SegFinetuneSettings;

/** {@code unitpath compare}: two initialisations of one tiny recipe, the table, and a resumed second call. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private String[] args(List<String> inits, int iters, String... more) {
        List<String> a = new ArrayList<>(List.of("--threads", "2", "compare", "kumar"));
        a.addAll(TinySegRecipe.overrides(dir.resolve("data"), dir.resolve("cmp"), iters));
        a.addAll(List.of("INPUT.CROP.SIZE", "[64, 64]", "TEST.VAL_FRACTION", "0.5"));
        inits.forEach(i -> a.addAll(List.of("--init", i)));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void comparesInitialisationsOverSeedsAndReadsFinishedRunsBack() throws Exception {
        SyntheticNuclei.write(dir.resolve("data"), 2, 1, 96, 5);
        Config cfg = BundledConfigs.load("kumar", TinySegRecipe.overrides(dir.resolve("data"), dir.resolve("x"), 4));
        Path weights = dir.resolve("S.pt");
        PtFile.write(weights, new LinkedHashMap<>(new SegmentationNetwork(SegFinetuneSettings.from(cfg).seg()).stateDict()));

        CliTest.Run r = CliTest.run(args(List.of("pre=" + weights, "random="), 4, "--seeds", "2"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pre") && r.out().contains("random") && r.out().contains("mean±std"), r.out());
        Path cmp = dir.resolve("cmp");
        List<String> csv = Files.readAllLines(cmp.resolve("comparison.csv"));
        assertEquals(1 + 2 * 2 * 2 + 2 * 2 * 2, csv.size(), "a row per run at best and last, then mean and std per init");
        List<String> head = List.of(csv.get(0).split(","));
        assertEquals(List.of("init", "weights", "seed", "at", "iteration"), head.subList(0, 5));
        int aji = head.indexOf("aji");
        JsonNode json = new ObjectMapper().readTree(cmp.resolve("comparison.json").toFile());
        assertEquals("val_aji", json.get("chosen_by").asText());
        assertEquals("test", json.get("metrics_on").asText());
        String split = Files.readString(cmp.resolve("pre/seed-0/split.json"));
        for (String name : List.of("pre", "random")) {
            assertEquals(split, Files.readString(cmp.resolve(name + "/seed-1/split.json")), "one validation split for all runs");
            double[] best = new double[2];
            for (int seed = 0; seed < 2; seed++) {
                Path run = cmp.resolve(name).resolve("seed-" + seed);
                assertTrue(Files.exists(run.resolve("model_final.pt")));
                JsonNode bestJson = new ObjectMapper().readTree(run.resolve("best.json").toFile());
                String[] row = row(csv, name + ",", "," + seed + ",best,");
                assertEquals(bestJson.get("iteration").asText(), row[4]);
                best[seed] = Double.parseDouble(row[aji]);
                assertEquals(bestJson.get("test").get("aji").asDouble(), best[seed], 1e-6);
            }
            assertEquals((best[0] + best[1]) / 2, Double.parseDouble(row(csv, name + ",", ",mean,best,")[aji]), 1e-6);
            assertEquals(Math.abs(best[0] - best[1]) / Math.sqrt(2), Double.parseDouble(row(csv, name + ",", ",std,best,")[aji]), 1e-6,
                    "sample standard deviation");
        }
        assertEquals(2, json.get("summary").get(0).get("n").asInt());
        List<String> order = new ArrayList<>();
        json.get("runs").forEach(run -> order.add(run.get("init").asText() + "@" + run.get("seed").asInt()));
        assertEquals(List.of("pre@0", "random@0", "pre@1", "random@1"), order, "seed by seed");
        for (JsonNode run : json.get("runs")) {
            assertTrue(run.get("train_seconds").asDouble() > 0, "each run's training time: " + run);
        }
        var html = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(cmp.resolve("comparison.html").toFile());
        assertEquals(4, html.getElementsByTagName("svg").getLength(), "charts of aji, pq, dice, ap");

        long logLines = Files.lines(cmp.resolve("random/seed-1/metrics.jsonl")).count();
        CliTest.Run again = CliTest.run(args(List.of("pre=" + weights, "random="), 4, "--seeds", "2"));
        assertEquals(0, again.code(), again.err());
        assertEquals(csv, Files.readAllLines(cmp.resolve("comparison.csv")));
        assertEquals(logLines, Files.lines(cmp.resolve("random/seed-1/metrics.jsonl")).count());
    }

    /** The CSV row that starts with {@code init} and contains {@code middle}. */
    private static String[] row(List<String> csv, String init, String middle) {
        return csv.stream().filter(l -> l.startsWith(init) && l.contains(middle)).findFirst().orElseThrow().split(",");
    }

    @Test
    void refusesOneInitialisationAndMissingWeights() {
        CliTest.Run one = CliTest.run(args(List.of("random="), 2));
        assertEquals(ExitCodes.BAD_INPUT, one.code());
        assertTrue(one.err().contains("at least two initialisations"), one.err());
        CliTest.Run missing = CliTest.run(args(List.of("random=", "pre=" + dir.resolve("none.pt")), 2));
        assertEquals(ExitCodes.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("--init pre: weights file") && missing.err().contains("does not exist"), missing.err());
        CliTest.Run twice = CliTest.run(args(List.of("random=", "random="), 2));
        assertEquals(ExitCodes.BAD_INPUT, twice.code());
        assertTrue(twice.err().contains("--init name 'random' is given twice"), twice.err());
        CliTest.Run noSeeds = CliTest.run(args(List.of("random=", "other="), 2, "--seeds", "0"));
        assertEquals(ExitCodes.BAD_INPUT, noSeeds.code());
        assertTrue(noSeeds.err().contains("--seeds must be at least 1, got 0"), noSeeds.err());
    }
}
