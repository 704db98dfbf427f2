package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.infer.Nucleus;
import org.unitpath.infer.NucleusClasses;
import org.unitpath.infer.NucleusSink;
import org.unitpath.infer.SegmentOutputs;
import org.unitpath.infer.SlideSegmenter;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.testing.GeoJsonAsserts;
import org.unitpath.testing.LabelTiffs;

/**
 * The streaming segmenter on disc scenes with the exact stand-in detector: every disc comes out
 * once, whole, from reads no larger than a tile, and the output files agree with each other.
 */
class SlideSegmenterTest {
    @TempDir
    Path dir;

    /** A procedural image that is never materialised; records the largest rectangle read. */
    static final class CountingSource implements TileSource {
        final Discs scene;
        int reads;
        long largest;

        CountingSource(Discs scene) {
            this.scene = scene;
        }

        @Override
        public int width() {
            return scene.width;
        }

        @Override
        public int height() {
            return scene.height;
        }

        @Override
        public Tensor read(int x, int y, int w, int h) {
            reads++;
            largest = Math.max(largest, (long) w * h);
            return scene.region(x, y, w, h);
        }
    }

    /** Keeps the nuclei and checks that the rows it is told are final only move down. */
    static final class Collecting implements NucleusSink {
        final List<Nucleus> nuclei = new ArrayList<>();
        int complete;

        @Override
        public void accept(Nucleus n) {
            assertTrue(n.region().y >= complete, () -> "nucleus " + n.id() + " above rows declared complete (" + complete + ")");
            nuclei.add(n);
        }

        @Override
        public void rowsComplete(int y) {
            assertTrue(y >= complete);
            complete = y;
        }

        @Override
        public void commit() {}

        @Override
        public void close() {}
    }

    @Test
    void everyDiscOnceAndWholeFromTileSizedReads() throws IOException {
        Discs scene = Discs.scene(1000, 700);
        CountingSource source = new CountingSource(scene);
        Collecting sink = new Collecting();
        SlideSegmenter segmenter = new SlideSegmenter(new DiscDetector(), 256, 64);
        SlideSegmenter.Summary summary = segmenter.run(source, t -> true, sink, (done, total, n) -> { });
        assertEquals(5 * 4, source.reads, "one read per tile");
        assertEquals(256L * 256, source.largest, "never more than one tile in memory");
        assertEquals(700, sink.complete);
        assertEquals(scene.discs.size(), summary.nuclei());
        assertEquals(scene.discs.size(), sink.nuclei.size(), "seams neither duplicate nor drop discs");
        assertEquals(700_000, summary.pixels());
        for (Discs.Disc d : scene.discs) {
            List<Nucleus> hits = sink.nuclei.stream().filter(n -> n.region().contains(d.cx(), d.cy())).toList();
            assertEquals(1, hits.size(), "disc " + d);
            MaskPatch region = hits.get(0).region();
            long pixels = 0;
            for (int y = d.cy() - d.r(); y <= d.cy() + d.r(); y++) {
                for (int x = d.cx() - d.r(); x <= d.cx() + d.r(); x++) {
                    int px = x;
                    int py = y;
                    assertEquals(d.contains(x, y), region.contains(x, y), () -> "disc " + d + " at " + px + "," + py);
                    pixels += d.contains(x, y) ? 1 : 0;
                }
            }
            assertEquals(pixels, hits.get(0).measurements().area());
            assertEquals(d.cx() + 0.5, hits.get(0).measurements().centroidX(), 1e-9);
            assertEquals((1 - d.value()) / 2, hits.get(0).score(), 1e-6);
        }
        assertArrayEquals(java.util.stream.LongStream.rangeClosed(1, sink.nuclei.size()).toArray(),
                sink.nuclei.stream().mapToLong(Nucleus::id).toArray(), "ids 1..N in stream order");
    }

    @Test
    void skippedTilesLoseOnlyTheNucleiTheyOwn() throws IOException {
        Discs scene = Discs.scene(500, 300);
        Collecting sink = new Collecting();
        SlideSegmenter segmenter = new SlideSegmenter(new DiscDetector(), 256, 64);
        SlideSegmenter.Summary r = segmenter.run(new CountingSource(scene), t -> t.x() == 0, sink, (done, total, n) -> { });
        assertEquals(4, r.skippedTiles(), "3 x 2 tiles, those at x = 192 and 244 skipped");
        assertEquals(2, r.tiles());
        List<TiledInference.Tile> kept = new TiledInference(new DiscDetector(), 256, 64).layout(500, 300).stream()
                .filter(t -> t.x() == 0).toList();
        long owned = scene.discs.stream().filter(d -> kept.stream().anyMatch(t -> t.ownsCentre(d.cx() + 0.5, d.cy() + 0.5)))
                .count();
        assertEquals(owned, sink.nuclei.size());
    }

    @Test
    void outputsAgreeAndTheLabelImageReadsBack() throws IOException {
        Discs scene = Discs.scene(600, 420, 192, 224, 256, 320, 352);
        Collecting kept = new Collecting();
        SlideSegmenter segmenter = new SlideSegmenter(new DiscDetector(), 256, 64);
        try (SegmentOutputs out = SegmentOutputs.open(dir, "scene", "scene.tif", 600, 420, OptionalDouble.of(0.25),
                NucleusClasses.defaults(1))) {
            segmenter.run(new CountingSource(scene), t -> true, new Tee(out, kept), (done, total, n) -> { });
            out.commit();
        }
        int n = kept.nuclei.size();
        assertEquals(scene.discs.size(), n);
        List<Nucleus> byScore = new ArrayList<>(kept.nuclei);
        byScore.sort(Comparator.comparingDouble((Nucleus k) -> -k.score()));
        int[] expected = new int[600 * 420];
        for (Nucleus k : byScore) {
            MaskPatch m = k.region();
            for (int y = m.y; y < m.y + m.height; y++) {
                for (int x = m.x; x < m.x + m.width; x++) {
                    if (expected[y * 600 + x] == 0 && m.contains(x, y)) {
                        expected[y * 600 + x] = (int) k.id();
                    }
                }
            }
        }
        assertArrayEquals(expected, LabelTiffs.read(dir.resolve("scene.labels.tif")), "label TIFF = labels painted in memory");
        var geo = new ObjectMapper().readTree(dir.resolve("scene.geojson").toFile());
        assertEquals(n, GeoJsonAsserts.assertQuPathFeatureCollection(geo));
        var first = geo.get("features").get(0).get("properties").get("measurements");
        Nucleus one = kept.nuclei.get(0);
        assertEquals(one.id(), first.get("Label id").asLong());
        assertEquals(one.measurements().area() * 0.0625, first.get("Area µm^2").asDouble(), 1e-9);
        CocoDataset coco = CocoDataset.read(dir.resolve("scene.coco.json"));
        assertEquals("scene.tif", coco.images().get(0).fileName());
        assertEquals(n, coco.annotations().size());
        for (CocoAnnotation a : coco.annotations()) {
            Nucleus k = kept.nuclei.get((int) a.id() - 1);
            byte[] mask = a.segmentation().toRle(600, 420).decode();
            for (int p = 0; p < mask.length; p++) {
                assertEquals(k.region().contains(p % 600, p / 600), mask[p] == 1, "COCO mask of nucleus " + k.id());
            }
            assertEquals(k.score(), a.score().getAsDouble(), 1e-6);
            assertEquals(k.measurements().area(), a.area());
        }
        List<String> csv = Files.readAllLines(dir.resolve("scene.csv"));
        assertEquals(n + 1, csv.size());
        assertTrue(csv.get(0).startsWith("id,class,score,centroid_x_px"));
        String[] row = csv.get(1).split(",");
        assertEquals(Long.toString(one.id()), row[0]);
        assertEquals("Nucleus", row[1]);
        assertEquals(one.measurements().area(), Long.parseLong(row[7]));
        assertEquals(one.measurements().area() * 0.0625, Double.parseDouble(row[8]), 1e-3);
    }

    @Test
    void aFailedRunLeavesNoFiles() throws IOException {
        Discs scene = Discs.scene(600, 300);
        DiscDetector detector = new DiscDetector();
        SlideSegmenter segmenter = new SlideSegmenter(input -> {
            if (detector.inputShapes.size() == 2) {
                throw new IllegalStateException("out of memory");
            }
            return detector.apply(input);
        }, 256, 64);
        assertThrows(IllegalStateException.class, () -> {
            try (SegmentOutputs out = SegmentOutputs.open(dir, "scene", "scene.tif", 600, 300, OptionalDouble.empty(),
                    NucleusClasses.defaults(1))) {
                segmenter.run(new CountingSource(scene), t -> true, out, (done, total, k) -> { });
                out.commit();
            }
        });
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "neither final nor temporary files");
        }
        assertFalse(Files.exists(dir.resolve("scene.geojson")));
    }

    /** Sends every nucleus to two sinks. */
    private record Tee(NucleusSink a, NucleusSink b) implements NucleusSink {
        @Override
        public void accept(Nucleus n) throws IOException {
            a.accept(n);
            b.accept(n);
        }

        @Override
        public void rowsComplete(int y) throws IOException {
            a.rowsComplete(y);
            b.rowsComplete(y);
        }

        @Override
        public void commit() {}

        @Override
        public void close() {}
    }
}
