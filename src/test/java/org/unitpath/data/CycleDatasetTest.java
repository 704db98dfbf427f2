package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.masks.MaskFormat;
import org.unitpath.masks.Range;

class CycleDatasetTest {
    @TempDir
    Path root;
    private final List<ScaleSpec> scales = List.of(ScaleSpec.parse("40x_256"));

    @BeforeEach
    void fixtures() throws Exception {
        LoaderFixtures.masks(root);
        LoaderFixtures.tissue(root);
    }

    private DatasetFiles.Tile tile(String name) {
        return new DatasetFiles.Tile(root.resolve("A/40x_256/" + name + ".png"), scales.get(0));
    }

    private List<DatasetFiles.Tile> tissue() throws IOException {
        return DatasetFiles.list(root, "B", scales, 0);
    }

    private CycleDataset dataset(List<DatasetFiles.Tile> a, SegGuide guide, Augment aug, boolean strict) throws IOException {
        return new CycleDataset(a, tissue(), root.resolve("A/cell_mask"), 256, guide, MaskFormat.MULTICHANNEL, aug, strict, 3);
    }

    @Test
    void withoutAugmentationTargetsAreTheKnownNuclei() throws IOException {
        CycleSample s = dataset(List.of(tile("c1_0_0")), SegGuide.ISG, Augment.none(), true).sample(0, 1);
        assertEquals(1, s.instances().size());
        Instance n = s.instances().get(0);
        assertArrayEquals(new int[] {10, 20, 50, 40}, new int[] {n.x0(), n.y0(), n.x1(), n.y1()});
        int pixels = 0;
        for (byte v : n.mask()) {
            pixels += v;
        }
        assertEquals(40 * 20, pixels);
        assertEquals((100 - 127.5f) / 127.5f, s.a()[256 * 256 + 25 * 256 + 15], 1e-6, "G channel of a nucleus pixel");
        assertEquals(-1f, s.a()[0], "background maps to -1");
        assertEquals(3 * 256 * 256, s.b().length);

        CycleSample border = dataset(List.of(tile("c1_1_1")), SegGuide.ISG, Augment.none(), true).sample(0, 1);
        Instance cut = border.instances().get(0);
        assertArrayEquals(new int[] {0, 144, 14, 164}, new int[] {cut.x0(), cut.y0(), cut.x1(), cut.y1()},
                "a nucleus cut by the tile border keeps its part inside the tile");
    }

    @Test
    void semanticGuideGivesTheNucleusMap() throws IOException {
        CycleSample s = dataset(List.of(tile("c1_1_0")), SegGuide.SSG, Augment.none(), true).sample(0, 1);
        assertNotNull(s.semantic());
        assertEquals(1, s.semantic()[40 * 256 + 50]);
        assertEquals(0, s.semantic()[0]);
        assertTrue(s.instances().isEmpty());
        assertNull(dataset(List.of(tile("c1_1_0")), SegGuide.NONE, Augment.none(), true).sample(0, 1).semantic());
    }

    @Test
    void augmentedMasksStayAlignedWithTheMaskImage() throws IOException {
        CycleDataset ds = dataset(List.of(tile("c1_0_0"), tile("c1_1_0")), SegGuide.ISG, Augment.release(), true);
        for (int seed = 0; seed < 20; seed++) {
            CycleSample s = ds.sample(seed % 2, seed);
            for (Instance n : s.instances()) {
                int minX = 256;
                int maxX = -1;
                for (int i = 0; i < n.mask().length; i++) {
                    if (n.mask()[i] == 1) {
                        assertTrue(s.a()[256 * 256 + i] > -1f, "mask pixel on a nucleus of the image");
                        minX = Math.min(minX, i % 256);
                        maxX = Math.max(maxX, i % 256);
                    }
                }
                assertEquals(minX, n.x0());
                assertEquals(maxX + 1, n.x1(), "boxes are recomputed tight after crop and flip");
            }
        }
    }

    @Test
    void cropsWithoutNucleiOrBackgroundAreReplaced() throws IOException {
        CycleDataset ds = dataset(List.of(tile("empty_0_0"), tile("c1_0_0")), SegGuide.ISG, Augment.none(), true);
        CycleSample s = ds.sample(0, 5);
        assertTrue(s.fileA().endsWith("c1_0_0.png"));
        assertEquals(1, ds.rejectedCrops());
        CycleDataset hopeless = dataset(List.of(tile("empty_0_0")), SegGuide.ISG, Augment.none(), true);
        IOException e = assertThrows(IOException.class, () -> hopeless.sample(0, 5));
        assertTrue(e.getMessage().contains("lacked background or nuclei"), e.getMessage());
        assertTrue(Targets.keepValid(new int[] {0, 1, 1, 1, 1, 1, 1, 1, 1}, 3));
        assertTrue(!Targets.keepValid(new int[] {1, 1, 1, 1}, 2), "no background");
        assertTrue(!Targets.keepValid(new int[] {0, 0, 0, 1}, 2), "only a 1-px nucleus");
    }

    @Test
    void unreadableFilesAreSkippedAndCountedOrFailInStrictMode() throws Exception {
        Path broken = root.resolve("B/40x_256/ihc_0_0.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        CycleDataset lenient = dataset(List.of(tile("c1_0_0")), SegGuide.ISG, Augment.none(), false);
        for (int i = 0; i < 4; i++) {
            assertNotNull(lenient.sample(i, i));
        }
        assertEquals(1, lenient.skippedFiles());
        CycleDataset strict = dataset(List.of(tile("c1_0_0")), SegGuide.ISG, Augment.none(), true);
        IOException e = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 4; i++) {
                strict.sample(i, i);
            }
        });
        assertTrue(e.getMessage().startsWith(broken.toString()), e.getMessage());

        Files.delete(root.resolve("A/cell_mask/c1.npy"));
        e = assertThrows(IOException.class,
                () -> dataset(List.of(tile("c1_0_0")), SegGuide.ISG, Augment.none(), true).sample(0, 1));
        assertTrue(e.getMessage().contains("c1.npy is missing"), e.getMessage());
    }

    @Test
    void listingHonoursTheSuffixAndScalesAndRejectsEmptyFolders() throws IOException {
        assertEquals(8, DatasetFiles.list(root, "A", scales, 1).size());
        assertEquals(3, DatasetFiles.list(root, "A-3", scales, 1).size());
        assertEquals(DatasetFiles.list(root, "A-3", scales, 1), DatasetFiles.list(root, "A-3", scales, 1));
        Files.createDirectories(root.resolve("C/40x_256"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> DatasetFiles.list(root, "C", scales, 0));
        assertTrue(e.getMessage().contains("no .png tiles"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> DatasetFiles.list(root, "D", scales, 0));
        assertEquals(512, ScaleSpec.parse("20x_256").cropSide());
        assertThrows(IllegalArgumentException.class, () -> ScaleSpec.parse("30x_256"));
        assertThrows(IllegalArgumentException.class, () -> new Augment(new Range(0.8, 1.2), 0.8, 0.5));
    }

    @Test
    void aCoarserScaleNeedsLargerTiles() throws IOException {
        DatasetFiles.Tile small = new DatasetFiles.Tile(root.resolve("A/40x_256/c1_0_0.png"), ScaleSpec.parse("20x_256"));
        CycleDataset ds = new CycleDataset(List.of(small), tissue(), root.resolve("A/cell_mask"), 256, SegGuide.ISG,
                MaskFormat.MULTICHANNEL, Augment.none(), true, 0);
        IOException e = assertThrows(IOException.class, () -> ds.sample(0, 0));
        assertTrue(e.getMessage().contains("smaller than the 512-px crop"), e.getMessage());
    }
}
