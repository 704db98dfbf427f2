package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.masks.MaskFormat;

class CycleLoaderTest {
    @TempDir
    Path root;

    private CycleDataset dataset() throws Exception {
        LoaderFixtures.masks(root);
        LoaderFixtures.tissue(root);
        List<ScaleSpec> scales = List.of(ScaleSpec.parse("40x_256"));
        List<DatasetFiles.Tile> a = new ArrayList<>(DatasetFiles.list(root, "A", scales, 3));
        a.removeIf(t -> t.file().getFileName().toString().startsWith("empty"));
        return new CycleDataset(a, DatasetFiles.list(root, "B", scales, 3), root.resolve("A/cell_mask"), 256,
                SegGuide.ISG, MaskFormat.GREY, Augment.release(), true, 4);
    }

    private static List<List<CycleSample>> batches(CycleLoader loader, int n) throws Exception {
        List<List<CycleSample>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(loader.next());
        }
        return out;
    }

    private static void assertSame(List<List<CycleSample>> x, List<List<CycleSample>> y) {
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++) {
            for (int j = 0; j < x.get(i).size(); j++) {
                CycleSample p = x.get(i).get(j);
                CycleSample q = y.get(i).get(j);
                assertEquals(p.fileA(), q.fileA());
                assertArrayEquals(p.a(), q.a());
                assertArrayEquals(p.b(), q.b());
                assertEquals(p.instances().size(), q.instances().size());
            }
        }
    }

    @Test
    void sameSeedGivesSameBatchesWhateverTheWorkerCount() throws Exception {
        CycleDataset ds = dataset();
        try (CycleLoader one = new CycleLoader(ds, 2, 42, 1, 1, 0, 1);
                CycleLoader three = new CycleLoader(ds, 2, 42, 3, 4, 0, 1);
                CycleLoader other = new CycleLoader(ds, 2, 43, 2, 2, 0, 1)) {
            List<List<CycleSample>> a = batches(one, 6);
            assertSame(a, batches(three, 6));
            List<List<CycleSample>> c = batches(other, 6);
            boolean differs = false;
            for (int i = 0; i < 6; i++) {
                differs |= !java.util.Arrays.equals(a.get(i).get(0).b(), c.get(i).get(0).b());
            }
            assertTrue(differs, "another seed gives other crops");
            assertEquals(2, one.batchesPerEpoch());
        }
    }

    @Test
    void seekResumesExactly() throws Exception {
        CycleDataset ds = dataset();
        try (CycleLoader full = new CycleLoader(ds, 2, 7, 2, 2, 0, 1); CycleLoader resumed = new CycleLoader(ds, 2, 7, 2, 2, 0, 1)) {
            List<List<CycleSample>> all = batches(full, 5);
            resumed.seek(3);
            assertSame(all.subList(3, 5), batches(resumed, 2));
            assertEquals(5, resumed.position());
        }
    }

    @Test
    void ranksSeeDisjointShardsOfEachEpoch() throws Exception {
        CycleDataset ds = dataset();
        try (CycleLoader r0 = new CycleLoader(ds, 1, 9, 1, 1, 0, 2); CycleLoader r1 = new CycleLoader(ds, 1, 9, 1, 1, 1, 2)) {
            Set<String> seen0 = new HashSet<>();
            Set<String> seen1 = new HashSet<>();
            for (int i = 0; i < r0.batchesPerEpoch(); i++) {
                seen0.add(r0.next().get(0).fileA());
                seen1.add(r1.next().get(0).fileA());
            }
            assertEquals(4, seen0.size() + seen1.size());
            seen0.retainAll(seen1);
            assertTrue(seen0.isEmpty(), "an epoch splits its pairs between the ranks");
        }
        assertThrows(IllegalArgumentException.class, () -> new CycleLoader(ds, 5, 0, 1, 1, 0, 1));
    }
}
