package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.CsvText;
import org.unitpath.io.Png;
import org.unitpath.testing.TestImages;
import org.unitpath.testing.TinyNetworks;

/**
 * tiles, segment and embed over a cohort: manifests, --recursive, shards, the summary, reruns that
 * skip finished slides, a corrupt slide recorded while the others finish, and exit codes. Images
 * are 128 px patterns cut into 64-px tiles; the networks are small and untrained.
 */
class CohortCommandsTest {
    private static final String QUICKSTART = TinyNetworks.QUICKSTART;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Path segWeights;
    private static Path trunkWeights;

    @BeforeAll
    static void networks() throws IOException {
        segWeights = TinyNetworks.segmenter(shared, 7);
        trunkWeights = TinyNetworks.trunk(shared, 7);
    }

    /** {@code names} as 128 x 128 pattern PNGs in {@code folder}; a name starting with "broken" is not an image. */
    private static List<Path> images(Path folder, String... names) throws IOException {
        return images(folder, 128, names);
    }

    private static List<Path> images(Path folder, int side, String... names) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            Path p = folder.resolve(names[i]);
            Files.createDirectories(p.getParent());
            if (names[i].startsWith("broken")) {
                Files.writeString(p, "not an image");
            } else {
                Png.write(p, TestImages.pattern(side, side, i));
            }
            out.add(p);
        }
        return out;
    }

    private static CliTest.Run tiles(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("--threads", "2", "tiles", "--tile", "64", "--mpp", "0.25",
                "--source-mpp", "0.25", "--min-tissue", "0", "--out", out.toString()));
        all.addAll(List.of(args));
        return CliTest.run(all.toArray(String[]::new));
    }

    /** The summary's rows by file name, each as column -> value. */
    static Map<String, Map<String, String>> summary(Path file) throws IOException {
        List<CsvText.Row> rows = CsvText.read(file);
        List<String> header = rows.get(0).fields();
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (CsvText.Row r : rows.subList(1, rows.size())) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), i < r.fields().size() ? r.fields().get(i) : "");
            }
            out.put(Path.of(m.get("path")).getFileName().toString(), m);
        }
        return out;
    }

    @Test
    void shardsOfAManifestSplitTheCohortAndRerunsSkipWhatIsDone() throws IOException {
        images(dir.resolve("slides"), "s1.png", "s2.png", "s3.png", "s4.png", "s5.png");
        Path csv = dir.resolve("cohort.csv");
        Files.writeString(csv, "path,label\n# five slides\nslides/s1.png,a\nslides/s2.png,b\nslides/s3.png,a\n\n"
                + "slides/s4.png,b\nslides/s5.png,a\n");
        Path out = dir.resolve("out");
        Set<String> seen = new HashSet<>();
        for (int k = 1; k <= 2; k++) {
            CliTest.Run r = tiles(out, "--manifest", csv.toString(), "--shard", k + "/2");
            assertEquals(ExitCodes.OK, r.code(), r.err());
            Path file = out.resolve("summary-shard-" + k + "-of-2.csv");
            assertTrue(r.out().contains("tiles: " + (k == 1 ? 3 : 2) + " done, 0 skipped, 0 failed -> " + file), r.out());
            assertEquals("path,status,tiles,nuclei,seconds,error,label", Files.readAllLines(file).get(0));
            for (Map.Entry<String, Map<String, String>> e : summary(file).entrySet()) {
                assertTrue(seen.add(e.getKey()), e.getKey() + " in two shards");
                assertEquals("done", e.getValue().get("status"));
                assertEquals("4", e.getValue().get("tiles"));
                assertEquals("", e.getValue().get("nuclei"));
                assertEquals(List.of("s2.png", "s4.png").contains(e.getKey()) ? "b" : "a", e.getValue().get("label"),
                        "the manifest's columns are copied");
            }
        }
        assertEquals(Set.of("s1.png", "s2.png", "s3.png", "s4.png", "s5.png"), seen);
        assertEquals(Set.of("s1.png", "s3.png", "s5.png"), summary(out.resolve("summary-shard-1-of-2.csv")).keySet(),
                "shard 1 of 2: slides 0, 2, 4 of the sorted list");
        assertTrue(Files.isRegularFile(out.resolve("40x_64/.done/s5")));

        CliTest.Run again = tiles(out, "--manifest", csv.toString());
        assertEquals(ExitCodes.OK, again.code(), again.err());
        assertTrue(again.out().contains("tiles: 0 written, 0 background, 20 already present from 5 images"), again.out());
        Map<String, Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(List.of("s1.png", "s2.png", "s3.png", "s4.png", "s5.png"), List.copyOf(rows.keySet()), "cohort order");
        rows.values().forEach(m -> assertEquals(List.of("skipped", "4"), List.of(m.get("status"), m.get("tiles"))));
    }

    @Test
    void aCorruptSlideIsRecordedWhileTheOthersFinishAndIsRetriedNextRun() throws IOException {
        List<Path> in = images(dir.resolve("in"), "a.png", "broken.png", "c.png");
        Path out = dir.resolve("out");
        CliTest.Run r = tiles(out, dir.resolve("in").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("unitpath: error: " + in.get(1) + ": not a readable image"), r.err());
        assertTrue(r.out().contains("tiles: 2 done, 0 skipped, 1 failed (a rerun retries them)"), r.out());
        Map<String, Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals("failed", rows.get("broken.png").get("status"));
        assertTrue(rows.get("broken.png").get("error").startsWith(in.get(1) + ": not a readable image"), rows.toString());
        assertEquals(List.of("done", "done"), List.of(rows.get("a.png").get("status"), rows.get("c.png").get("status")));
        assertTrue(Files.isRegularFile(out.resolve("40x_64/c_1_1.png")));

        Png.write(in.get(1), TestImages.pattern(128, 128, 9));
        r = tiles(out, dir.resolve("in").toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        rows = summary(out.resolve("summary.csv"));
        assertEquals(List.of("skipped", "done", "skipped"), rows.values().stream().map(m -> m.get("status")).toList());
    }

    @Test
    void failFastStopsAtTheFirstFailedSlide() throws IOException {
        images(dir.resolve("in"), "a.png", "b.png", "c.png");
        Files.writeString(dir.resolve("in/b.png"), "not an image");
        Path out = dir.resolve("out");
        CliTest.Run r = tiles(out, "--threads", "1", "--fail-fast", dir.resolve("in").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Map<String, Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(List.of("a.png", "b.png"), List.copyOf(rows.keySet()), "c.png is not started");
        assertFalse(Files.exists(out.resolve("40x_64/c_0_0.png")));
    }

    @Test
    void anImageSmallerThanOneTileIsNamedWithItsSize() throws IOException {
        Path small = dir.resolve("small.png");
        Png.write(small, TestImages.pattern(40, 50, 1));
        Path out = dir.resolve("out");
        CliTest.Run r = tiles(out, small.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals("unitpath: error: " + small + " is 40x50 px at 0.25 µm/px, smaller than one 64-px tile at 0.25 µm/px: "
                + "no tiles", r.err().strip());

        images(dir, "big.png");
        r = tiles(out, small.toString(), dir.resolve("big.png").toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        Map<String, String> row = summary(out.resolve("summary.csv")).get("small.png");
        assertEquals(List.of("done", "0"), List.of(row.get("status"), row.get("tiles")));
        assertTrue(row.get("error").contains("smaller than one 64-px tile"), row.toString());
    }

    @Test
    void recursiveSearchesSubfoldersAndBadShardsAreUsageErrors() throws IOException {
        images(dir.resolve("cohort"), "top.png", "site1/deep.png", ".trash/old.png");
        Path out = dir.resolve("out");
        assertEquals(ExitCodes.OK, tiles(out, dir.resolve("cohort").toString()).code());
        assertEquals(Set.of("top.png"), summary(out.resolve("summary.csv")).keySet());
        assertEquals(ExitCodes.OK, tiles(out, "--recursive", dir.resolve("cohort").toString()).code());
        assertEquals(Set.of("top.png", "deep.png"), summary(out.resolve("summary.csv")).keySet());

        for (String bad : new String[] {"0/3", "4/3", "3"}) {
            CliTest.Run r = tiles(out, "--shard", bad, dir.resolve("cohort").toString());
            assertEquals(ExitCodes.USAGE, r.code(), bad);
            assertTrue(r.err().startsWith("unitpath: --shard must be K/N with 1 <= K <= N (1-based: 1/8 .. 8/8), got"), r.err());
        }
        CliTest.Run none = tiles(out);
        assertEquals(ExitCodes.USAGE, none.code());
        assertTrue(none.err().contains("give input files or folders, or --manifest CSV"), none.err());
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "path\ncohort/top.png\ncohort/gone.png\n");
        CliTest.Run missing = tiles(out, "--manifest", csv.toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.code());
        assertEquals("unitpath: error: " + csv + " line 3: " + dir.resolve("cohort/gone.png") + ": no such file",
                missing.err().strip());
    }

    @Test
    void segmentRecordsNucleiSkipsFinishedImagesAndGoesOnAfterAFailure() throws IOException {
        images(dir.resolve("in"), 64, "a.png", "broken.png", "c.png"); // one tile each: an untrained S is slow on CPU
        Path csv = dir.resolve("in/cohort.csv");
        Files.writeString(csv, "path,status\na.png,x\nbroken.png,y\nc.png,z\n");
        Path out = dir.resolve("out");
        String[] args = {"--threads", "2", "segment", "--weights", segWeights.toString(), "--config", QUICKSTART,
                "--device", "cpu", "--tile", "64", "--overlap", "16", "--max-detections", "5", "--min-tissue", "0",
                "--out", out.toString(), "--manifest", csv.toString()};
        CliTest.Run r = CliTest.run(args);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("broken.png"), r.err());
        Map<String, Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals("path,status,tiles,nuclei,seconds,error,manifest_status", Files.readAllLines(out.resolve("summary.csv")).get(0));
        for (String done : List.of("a.png", "c.png")) {
            Map<String, String> m = rows.get(done);
            assertEquals("done", m.get("status"));
            assertTrue(m.get("nuclei").matches("\\d+") && Integer.parseInt(m.get("tiles")) > 0, m.toString());
            assertTrue(Files.isRegularFile(out.resolve(done.replace(".png", ".geojson"))));
        }
        assertEquals(List.of("failed", "y"), List.of(rows.get("broken.png").get("status"),
                rows.get("broken.png").get("manifest_status")));

        CliTest.Run again = CliTest.run(args);
        assertEquals(ExitCodes.BAD_INPUT, again.code());
        rows = summary(out.resolve("summary.csv"));
        assertEquals(List.of("skipped", "failed", "skipped"), rows.values().stream().map(m -> m.get("status")).toList());
        assertEquals("", rows.get("a.png").get("nuclei"), "not counted again for a skipped image");
    }

    @Test
    void embedTakesTileFoldersAndSlidesFromAManifestOrSlidesFromFoldersWithRecursive() throws IOException {
        images(dir.resolve("tiles"), "t_0_0.png", "t_1_0.png", "t_0_1.png");
        images(dir, "slide.png", "broken.png");
        Path csv = dir.resolve("cohort.csv");
        Files.writeString(csv, "path\ntiles\nslide.png\nbroken.png\n");
        Path out = dir.resolve("out");
        String[] args = {"--threads", "2", "embed", "--weights", trunkWeights.toString(), "--device", "cpu", "--size", "32",
                "--batch", "4", "--tile", "64", "--source-mpp", "0.25", "--min-tissue", "0", "--out", out.toString(),
                "--manifest", csv.toString()};
        CliTest.Run r = CliTest.run(args);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        Map<String, Map<String, String>> rows = summary(out.resolve("summary.csv"));
        assertEquals(List.of("done", "3"), List.of(rows.get("tiles").get("status"), rows.get("tiles").get("tiles")));
        assertEquals(List.of("done", "4"), List.of(rows.get("slide.png").get("status"), rows.get("slide.png").get("tiles")));
        assertEquals("failed", rows.get("broken.png").get("status"));
        assertTrue(Files.isRegularFile(out.resolve("tiles.npy")) && Files.isRegularFile(out.resolve("slide.npy")));

        Png.write(dir.resolve("broken.png"), TestImages.pattern(128, 128, 9));
        CliTest.Run again = CliTest.run(args);
        assertEquals(ExitCodes.OK, again.code(), again.err());
        rows = summary(out.resolve("summary.csv"));
        assertEquals(List.of("done", "skipped", "skipped"), rows.values().stream().map(m -> m.get("status")).toList());

        images(dir.resolve("cohort"), "site1/x.png", "site2/y.png");
        Path out2 = dir.resolve("out2");
        CliTest.Run rec = CliTest.run("embed", "--weights", trunkWeights.toString(), "--device", "cpu", "--size", "32",
                "--tile", "64", "--source-mpp", "0.25", "--min-tissue", "0", "--out", out2.toString(), "--recursive",
                dir.resolve("cohort").toString());
        assertEquals(ExitCodes.OK, rec.code(), rec.err());
        assertTrue(Files.isRegularFile(out2.resolve("x.npy")) && Files.isRegularFile(out2.resolve("y.npy")),
                "each slide below the folder is one input");
    }
}
