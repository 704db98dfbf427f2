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

    private String[] args(List<String> inits, int iters) {
        List<String> a = new ArrayList<>(List.of("--threads", "2", "compare", "kumar"));
        a.addAll(TinySegRecipe.overrides(dir.resolve("data"), dir.resolve("cmp"), iters));
        inits.forEach(i -> a.addAll(List.of("--init", i)));
        return a.toArray(String[]::new);
    }

    @Test
    void comparesInitialisationsAndReadsFinishedRunsBack() throws Exception {
        SyntheticNuclei.write(dir.resolve("data"), 2, 1, 128, 5);
        Config cfg = BundledConfigs.load("kumar", TinySegRecipe.overrides(dir.resolve("data"), dir.resolve("x"), 6));
        Path weights = dir.resolve("S.pt");
        PtFile.write(weights, new LinkedHashMap<>(new SegmentationNetwork(SegFinetuneSettings.from(cfg).seg()).stateDict()));

        CliTest.Run r = CliTest.run(args(List.of("pre=" + weights, "random="), 6));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("init") && r.out().contains("pre") && r.out().contains("random"), r.out());
        Path cmp = dir.resolve("cmp");
        List<String> csv = Files.readAllLines(cmp.resolve("comparison.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(0).startsWith("init,weights,best_iteration,") && csv.get(0).contains(",aji,"), csv.get(0));
        assertTrue(csv.get(1).startsWith("pre," + weights + ",") && csv.get(2).startsWith("random,,"), csv.toString());
        JsonNode json = new ObjectMapper().readTree(cmp.resolve("comparison.json").toFile());
        assertEquals("aji", json.get("chosen_by").asText());
        for (int i = 0; i < 2; i++) {
            JsonNode run = json.get("runs").get(i);
            String name = run.get("init").asText();
            JsonNode best = new ObjectMapper().readTree(cmp.resolve(name).resolve("best.json").toFile());
            assertEquals(best.get("iteration").asLong(), run.get("best_iteration").asLong());
            assertEquals(best.get("aji").asDouble(), run.get("aji").asDouble(), 1e-6);
            assertTrue(Files.exists(cmp.resolve(name).resolve("model_final.pt")));
        }
        var html = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(cmp.resolve("comparison.html").toFile());
        assertEquals(4, html.getElementsByTagName("svg").getLength(), "charts of aji, pq, dice, ap");

        long logLines = Files.lines(cmp.resolve("random/metrics.jsonl")).count();
        CliTest.Run again = CliTest.run(args(List.of("pre=" + weights, "random="), 6));
        assertEquals(0, again.code(), again.err());
        assertEquals(csv, Files.readAllLines(cmp.resolve("comparison.csv")));
        assertEquals(logLines, Files.lines(cmp.resolve("random/metrics.jsonl")).count());
    }

    @Test
    void refusesOneInitialisationAndMissingWeights() {
        CliTest.Run one = CliTest.run(args(List.of("random="), 2));
        assertEquals(ExitCodes.BAD_INPUT, one.code());
        assertTrue(one.err().contains("at least two initialisations"), one.err());
        CliTest.Run missing = CliTest.run(args(List.of("random=", "pre=" + dir.resolve("none.pt")), 2));
        assertEquals(ExitCodes.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("--init pre: weights file") && missing.err().contains("does not exist"), missing.err());
    }
}
