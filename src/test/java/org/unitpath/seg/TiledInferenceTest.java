package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.seg.TiledInference.Tile;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

class TiledInferenceTest {
    /** Whole-image detection as the reference, one instance per row: box, score, mask area. */
    private static List<float[]> wholeImage(Discs scene) {
        try (MemoryScope s = MemoryScope.open()) {
            Instances all = DiscDetector.detect(scene.grey(), scene.width, scene.height);
            float[] boxes = Tensors.toFloats(all.boxes());
            float[] scores = Tensors.toFloats(all.scores());
            float[] areas = Tensors.toFloats(all.masks().sum(new long[] {1, 2}));
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                out.add(new float[] {boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], scores[i], areas[i]});
            }
            return out;
        }
    }

    /** The label map of the reference: ids in decreasing score order, painted from the known discs. */
    private static int[] referenceLabels(Discs scene) {
        List<Discs.Disc> byScore = new ArrayList<>(scene.discs);
        byScore.sort(Comparator.comparingDouble(Discs.Disc::value));
        int[] labels = new int[scene.width * scene.height];
        for (int k = 0; k < byScore.size(); k++) {
            Discs.Disc d = byScore.get(k);
            for (int y = 0; y < scene.height; y++) {
                for (int x = 0; x < scene.width; x++) {
                    if (d.contains(x, y)) {
                        labels[y * scene.width + x] = k + 1;
                    }
                }
            }
        }
        return labels;
    }

    /** Merged tiles equal whole-image detection: same instances, same boxes, whole masks, no duplicates. */
    private static void assertSameAsWholeImage(Discs scene, List<ImageInstance> merged) {
        List<float[]> reference = wholeImage(scene);
        assertEquals(scene.discs.size(), reference.size(), "the fake detector finds every disc of the whole image");
        assertEquals(reference.size(), merged.size(), "instances after merging");
        List<ImageInstance> sorted = new ArrayList<>(merged);
        sorted.sort(Comparator.comparingDouble(ImageInstance::score).reversed());
        for (int i = 0; i < reference.size(); i++) {
            float[] ref = reference.get(i);
            ImageInstance got = sorted.get(i);
            assertEquals(ref[4], got.score(), 1e-6, "instance " + i + " (scores are distinct per disc)");
            float[] box = {got.x0(), got.y0(), got.x1(), got.y1()};
            for (int c = 0; c < 4; c++) {
                assertEquals(ref[c], box[c], 1.0, "box of instance " + i);
            }
            assertEquals((long) ref[5], got.mask().area(), "mask area of instance " + i + " (a cut disc is smaller)");
        }
    }

    private static TileSource counted(TileSource source, List<int[]> reads) {
        return new TileSource() {
            @Override
            public int width() {
                return source.width();
            }

            @Override
            public int height() {
                return source.height();
            }

            @Override
            public Tensor read(int x, int y, int w, int h) {
                reads.add(new int[] {x, y, w, h});
                return source.read(x, y, w, h);
            }
        };
    }

    @Test
    void twoByTwoTilesEqualWholeImageDetection() {
        // tiles at 0 and 96 on both axes: edges at 96 and 128, cores meet at 112
        Discs scene = Discs.scene(224, 224, 96, 112, 128);
        long onEdges = scene.discs.stream().filter(d -> Math.abs(d.cx() - 96) <= d.r() || Math.abs(d.cx() - 128) <= d.r()
                || Math.abs(d.cy() - 96) <= d.r() || Math.abs(d.cy() - 128) <= d.r()).count();
        assertTrue(onEdges >= 10, "the scene must put discs across tile edges, has " + onEdges);
        DiscDetector detector = new DiscDetector();
        TiledInference tiled = new TiledInference(detector, 128, 32);
        assertEquals(4, tiled.layout(224, 224).size());
        try (MemoryScope s = MemoryScope.open()) {
            TileSource source = TileSource.of(scene.image());
            List<ImageInstance> merged = tiled.detect(source);
            assertSameAsWholeImage(scene, merged);
            assertEquals(4, detector.inputShapes.size());
            for (long[] shape : detector.inputShapes) {
                assertArrayEquals(new long[] {1, 3, 128, 128}, shape);
            }
            assertArrayEquals(referenceLabels(scene), tiled.labelMap(source));
            assertArrayEquals(referenceLabels(scene), TiledInference.renderLabels(merged, 224, 224));
        }
    }

    @Test
    void borderTilesShiftInwardsAndCoresPartitionTheImage() {
        int w = 250;
        int h = 190;
        TiledInference tiled = new TiledInference(new DiscDetector(), 128, 32);
        List<Tile> tiles = tiled.layout(w, h);
        assertEquals(3 * 2, tiles.size());
        int[] covered = new int[w * h];
        int[] owners = new int[w * h];
        for (Tile t : tiles) {
            assertEquals(128, t.width());
            assertEquals(128, t.height());
            assertTrue(t.x() >= 0 && t.y() >= 0 && t.x() + 128 <= w && t.y() + 128 <= h, t.toString());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean inside = x >= t.x() && x < t.x() + 128 && y >= t.y() && y < t.y() + 128;
                    covered[y * w + x] += inside ? 1 : 0;
                    if (t.ownsCentre(x + 0.5, y + 0.5)) {
                        owners[y * w + x]++;
                        // the core keeps half the overlap (16 px) away from the tile's inner edges
                        assertTrue(inside && (x + 0.5 - t.x() >= 16 || t.x() == 0) && (t.x() + 128 - x - 0.5 >= 16 || t.x() + 128 == w),
                                "pixel " + x + "," + y + " owned too close to the edge of " + t);
                    }
                }
            }
        }
        for (int i = 0; i < w * h; i++) {
            assertTrue(covered[i] >= 1, "pixel " + i % w + "," + i / w + " not covered");
            assertEquals(1, owners[i], "pixel " + i % w + "," + i / w + " owned by " + owners[i] + " cores");
        }
        assertEquals(122, tiles.get(2).x(), "last column shifted inwards to end at the image's edge");
        assertEquals(62, tiles.get(3).y());
        Discs scene = Discs.scene(w, h, 96, 112, 122, 128, 62, 94, 190 - 128 + 16);
        try (MemoryScope s = MemoryScope.open()) {
            assertSameAsWholeImage(scene, tiled.detect(TileSource.of(scene.image())));
            assertArrayEquals(referenceLabels(scene), tiled.labelMap(TileSource.of(scene.image().unsqueeze(0))));
        }
    }

    @Test
    void imageSmallerThanATileIsPaddedWithWhite() {
        Discs scene = Discs.scene(100, 70);
        DiscDetector detector = new DiscDetector();
        detector.validWidth = 100;
        detector.validHeight = 70;
        TiledInference tiled = new TiledInference(detector, 128, 32);
        List<Tile> tiles = tiled.layout(100, 70);
        assertEquals(1, tiles.size());
        assertEquals(new Tile(0, 0, 100, 70, 128, 96, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY), tiles.get(0));
        try (MemoryScope s = MemoryScope.open()) {
            assertSameAsWholeImage(scene, tiled.detect(TileSource.of(scene.image())));
            assertArrayEquals(new long[] {1, 3, 96, 128}, detector.inputShapes.get(0), "sides rounded up to multiples of 32");
            assertEquals(1f, detector.paddingMinimum.get(0), "padding is white");
        }
    }

    @Test
    void streamingReadsOneTileAtATime() {
        Discs scene = Discs.scene(1000, 700);
        TileSource procedural = new TileSource() {
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
                return scene.region(x, y, w, h);
            }
        };
        List<int[]> reads = new ArrayList<>();
        List<ImageInstance> streamed = new ArrayList<>();
        long n = new TiledInference(new DiscDetector(), 256, 64).run(counted(procedural, reads), streamed::add);
        assertEquals(n, streamed.size());
        assertEquals(5 * 4, reads.size(), "one read per tile");
        for (int[] r : reads) {
            assertTrue(r[2] <= 256 && r[3] <= 256, "read " + r[2] + "x" + r[3]);
        }
        assertEquals(scene.discs.size(), n);
        List<Discs.Disc> byScore = new ArrayList<>(scene.discs);
        byScore.sort(Comparator.comparingDouble(Discs.Disc::value));
        streamed.sort(Comparator.comparingDouble(ImageInstance::score).reversed());
        for (int i = 0; i < n; i++) {
            Discs.Disc d = byScore.get(i);
            ImageInstance got = streamed.get(i);
            assertArrayEquals(d.box(), new float[] {got.x0(), got.y0(), got.x1(), got.y1()}, "disc " + d);
            MaskPatch m = got.mask();
            for (int y = d.cy() - d.r() - 1; y <= d.cy() + d.r() + 1; y++) {
                for (int x = d.cx() - d.r() - 1; x <= d.cx() + d.r() + 1; x++) {
                    assertEquals(d.contains(x, y), m.contains(x, y), "disc " + d + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void rgbReaderAdapterNormalisesAndReportsErrors() {
        byte[] rgb = new byte[3 * 4 * 2];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 11);
        }
        TileSource source = TileSource.ofRgb(40, 30, (x, y, w, h) -> {
            assertEquals(List.of(5, 7, 4, 2), List.of(x, y, w, h));
            return rgb;
        });
        try (MemoryScope s = MemoryScope.open()) {
            float[] chw = Tensors.toFloats(source.read(5, 7, 4, 2));
            for (int p = 0; p < 8; p++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(((rgb[3 * p + c] & 0xff) - 127.5f) / 127.5f, chw[c * 8 + p], 1e-6);
                }
            }
        }
        TileSource broken = TileSource.ofRgb(40, 30, (x, y, w, h) -> {
            throw new IOException("disk gone");
        });
        assertThrows(UncheckedIOException.class, () -> broken.read(0, 0, 8, 8));
    }

    @Test
    void labelsFollowDecreasingScoreAndNeverOverwrite() {
        boolean[] square = new boolean[16];
        java.util.Arrays.fill(square, true);
        ImageInstance low = new ImageInstance(2, 2, 6, 6, 0.6f, 0, new MaskPatch(2, 2, 4, 4, square));
        ImageInstance high = new ImageInstance(0, 0, 4, 4, 0.9f, 0, new MaskPatch(0, 0, 4, 4, square));
        ImageInstance outside = new ImageInstance(6, 6, 10, 10, 0.7f, 0, new MaskPatch(6, 6, 4, 4, square));
        int[] labels = TiledInference.renderLabels(List.of(low, outside, high), 8, 8);
        assertEquals(1, labels[0]);
        assertEquals(1, labels[3 * 8 + 3], "the overlap keeps the higher-scored instance");
        assertEquals(3, labels[5 * 8 + 5]);
        assertEquals(3, labels[2 * 8 + 5]);
        assertEquals(2, labels[7 * 8 + 7], "clipped to the map");
        assertEquals(16 + 12 + 4, java.util.Arrays.stream(labels).filter(v -> v != 0).count());
    }

    @Test
    void rejectsBadTiling() {
        DiscDetector d = new DiscDetector();
        assertThrows(IllegalArgumentException.class, () -> new TiledInference(d, 100, 20));
        assertThrows(IllegalArgumentException.class, () -> new TiledInference(d, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TiledInference(d, 128, 128));
        assertThrows(IllegalArgumentException.class, () -> new TiledInference(d, 128, 200));
        assertThrows(IllegalArgumentException.class, () -> new TiledInference(d, 128, -1));
        assertThrows(IllegalArgumentException.class, () -> new TiledInference(d, 128, 0).layout(0, 10));
    }
}
