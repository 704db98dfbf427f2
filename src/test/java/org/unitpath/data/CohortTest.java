package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing a cohort: manifests, folders, recursion, de-duplication, order, shards and output names. */
class CohortTest {
    @TempDir
    Path dir;

    private Path touch(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }

    private static List<Path> paths(Cohort c) {
        return c.entries().stream().map(Cohort.Entry::path).toList();
    }

    @Test
    void foldersListTheirSlidesSortedAndRecursiveAlsoTheirSubfolders() throws IOException {
        Path in = dir.resolve("in");
        for (String n : new String[] {"b.svs", "a.PNG", "c.txt", ".hidden.tif", "d.ndpi", "sub/e.mrxs", "sub/deeper/f.dcm",
                ".cache/g.svs"}) {
            touch("in/" + n);
        }
        assertEquals(List.of(in.resolve("a.PNG"), in.resolve("b.svs"), in.resolve("d.ndpi")),
                paths(Cohort.list(List.of(in), null, false, Cohort.Folders.SLIDES)));
        List<Path> all = paths(Cohort.list(List.of(in), null, true, Cohort.Folders.SLIDES));
        assertEquals(List.of(in.resolve("a.PNG"), in.resolve("b.svs"), in.resolve("d.ndpi"), in.resolve("sub/deeper/f.dcm"),
                in.resolve("sub/e.mrxs")), all, "sorted by path; hidden files and folders left out");
        assertEquals(List.of(in), paths(Cohort.list(List.of(in), null, false, Cohort.Folders.TILE_FOLDERS)),
                "embed: a folder is one folder of tiles");

        Path empty = Files.createDirectories(dir.resolve("empty/sub"));
        IOException none = assertThrows(IOException.class,
                () -> Cohort.list(List.of(empty.getParent()), null, true, Cohort.Folders.SLIDES));
        assertTrue(none.getMessage().startsWith(empty.getParent() + ": no images in this folder or below it"), none.getMessage());
    }

    @Test
    void filesAreTakenAsGivenAndListedOnceInRealPathOrder() throws IOException {
        Path b = touch("b.svs");
        Path a = touch("x/a.tif");
        Path odd = touch("notes.dat");
        Path link = Files.createSymbolicLink(dir.resolve("link.svs"), b);
        Cohort c = Cohort.list(List.of(b, odd, dir.resolve("x/../b.svs"), link, a), null, false, Cohort.Folders.SLIDES);
        assertEquals(List.of(b, odd, a), paths(c), "one entry per real file, sorted by real path; any extension when named");
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> Cohort.list(List.of(dir.resolve("gone.svs")), null, false, Cohort.Folders.SLIDES));
    }

    @Test
    void aManifestResolvesRelativePathsSkipsCommentsAndKeepsItsColumns() throws IOException {
        touch("cohort/slides/s2.svs");
        touch("cohort/slides/s1.svs");
        Path abs = touch("elsewhere/s3.tif");
        touch("cohort/batch/b1.svs");
        touch("cohort/batch/deep/b2.svs");
        Path csv = dir.resolve("cohort/cohort.csv");
        Files.writeString(csv, """
                # made by hand
                patient,path,label
                P2,slides/s2.svs,tumour

                # a comment between rows
                P1,slides/s1.svs,"normal, mostly"
                P3,%s
                B,batch,
                """.formatted(abs));
        Cohort c = Cohort.list(List.of(), csv, false, Cohort.Folders.SLIDES);
        assertEquals(List.of("patient", "label"), c.extraColumns());
        Path base = dir.resolve("cohort");
        assertEquals(List.of(new Cohort.Entry(base.resolve("batch/b1.svs"), List.of("B", "")),
                new Cohort.Entry(base.resolve("slides/s1.svs"), List.of("P1", "normal, mostly")),
                new Cohort.Entry(base.resolve("slides/s2.svs"), List.of("P2", "tumour")),
                new Cohort.Entry(abs, List.of("P3", ""))), c.entries(), "absolute paths as they are; a folder row gives its slides");
        assertEquals(5, Cohort.list(List.of(), csv, true, Cohort.Folders.SLIDES).entries().size(), "--recursive: b2 too");

        Cohort both = Cohort.list(List.of(base.resolve("slides/s1.svs")), csv, false, Cohort.Folders.SLIDES);
        assertEquals(4, both.entries().size());
        assertEquals(List.of("P1", "normal, mostly"), both.entries().get(1).extra(), "the manifest's row wins");
    }

    @Test
    void manifestErrorsNameTheFileAndLine() throws IOException {
        touch("m/a.svs");
        assertManifestError("path\na.svs\n\nmissing.svs\n", "line 4: " + dir.resolve("m/missing.svs") + ": no such file");
        assertManifestError("a.svs\nb.svs\n", "line 1: 'a.svs' looks like a slide, but the first line must be a header");
        assertManifestError("path,label\na.svs,1,2\n", "line 2: 3 fields, the header has 2");
        assertManifestError("label,path\n1,\n", "line 2: no path in column 'path'");
        assertManifestError("path\n# nothing yet\n", "no slides listed");
        IOException e = assertThrows(IOException.class,
                () -> Cohort.list(List.of(), dir.resolve("nope.csv"), false, Cohort.Folders.SLIDES));
        assertTrue(e.getMessage().contains("nope.csv"), e.getMessage());
    }

    private void assertManifestError(String text, String expected) throws IOException {
        Path csv = dir.resolve("m/cohort.csv");
        Files.writeString(csv, text);
        IOException e = assertThrows(IOException.class, () -> Cohort.list(List.of(), csv, false, Cohort.Folders.SLIDES));
        assertTrue(e.getMessage().startsWith(csv.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void shardsAreDisjointAndTogetherTheWholeCohort() throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            files.add(touch("s/slide" + i + ".svs"));
        }
        Cohort c = Cohort.list(List.of(dir.resolve("s")), null, false, Cohort.Folders.SLIDES);
        for (int n = 1; n <= 4; n++) {
            List<Cohort.Entry> union = new ArrayList<>();
            Set<Cohort.Entry> seen = new HashSet<>();
            for (int k = 1; k <= n; k++) {
                List<Cohort.Entry> shard = c.shard(new Cohort.Shard(k, n));
                assertTrue(Math.abs(shard.size() - 11.0 / n) < 1, "balanced: " + shard.size());
                for (Cohort.Entry e : shard) {
                    assertTrue(seen.add(e), e + " in two shards of " + n);
                    assertEquals(k - 1, c.entries().indexOf(e) % n, "slide i goes to shard i % N + 1");
                }
                union.addAll(shard);
            }
            assertEquals(new HashSet<>(c.entries()), new HashSet<>(union), "shards 1.." + n + " cover the cohort");
        }
        assertEquals(List.of(), c.shard(new Cohort.Shard(12, 12)), "more shards than slides: the last are empty");
    }

    @Test
    void shardsAreOneBasedKOfN() {
        assertEquals(new Cohort.Shard(3, 8), Cohort.Shard.parse("3/8"));
        assertEquals("summary-shard-3-of-8.csv", Cohort.Shard.parse(" 3 / 8 ").summaryName());
        for (String bad : new String[] {"0/3", "4/3", "3", "a/b", "1/0", "-1/3", "1/2/3", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cohort.Shard.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--shard must be K/N with 1 <= K <= N"), e.getMessage());
        }
    }

    @Test
    void outputNamesMustDifferAcrossTheWholeCohort() throws IOException {
        Path a = touch("one/a.svs");
        Path b = touch("two/a.tif");
        Cohort c = Cohort.list(List.of(a, b), null, false, Cohort.Folders.SLIDES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.requireDistinctNames(SlideFiles::baseName, n -> n + ".geojson", false));
        assertEquals(a + " and " + b + " would both write a.geojson", e.getMessage());

        Path summary = touch("three/summary.png");
        Cohort s = Cohort.list(List.of(summary), null, false, Cohort.Folders.SLIDES);
        s.requireDistinctNames(SlideFiles::baseName, n -> n, false);
        e = assertThrows(IllegalArgumentException.class, () -> s.requireDistinctNames(SlideFiles::baseName, n -> n, true));
        assertTrue(e.getMessage().contains("summary.csv, the name of the run's summary"), e.getMessage());
    }
}
