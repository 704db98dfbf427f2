package org.unitpath.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.NpyFloat;
import org.unitpath.torch.Device;

class MilTest {
    private static final int DIM = 32;

    @TempDir
    Path dir;

    /**
     * Bags of 8..15 Gaussian instances; a positive bag hides one "key" instance shifted by +2
     * on the first 8 dimensions. Returns the key's row of each bag (-1 for negatives).
     */
    private int[] writeBags(Path features, int perClass) throws IOException {
        Random r = new Random(7);
        int[] keys = new int[2 * perClass];
        StringBuilder labels = new StringBuilder("slide,label\n");
        for (int b = 0; b < 2 * perClass; b++) {
            boolean positive = b % 2 == 1;
            int n = 8 + r.nextInt(8);
            float[] x = new float[n * DIM];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            keys[b] = positive ? r.nextInt(n) : -1;
            if (positive) {
                for (int j = 0; j < 8; j++) {
                    x[keys[b] * DIM + j] += 2f;
                }
            }
            String slide = String.format("s%02d", b);
            NpyFloat.write(features.resolve(slide + ".npy"), new NpyFloat.Matrix(n, DIM, x));
            StringBuilder tiles = new StringBuilder("index,file,col,row,x,y,size\n");
            for (int i = 0; i < n; i++) {
                tiles.append(i).append(',').append(slide).append(".svs,").append(i).append(",0,").append(256 * i).append(",0,256\n");
            }
            Files.writeString(features.resolve(slide + ".tiles.csv"), tiles);
            labels.append(slide).append(',').append(positive ? "tumour" : "normal").append('\n');
        }
        Files.writeString(features.resolve("labels.csv"), labels);
        return keys;
    }

    @Test
    void abmilFindsTheKeyInstance() throws IOException {
        Path features = Files.createDirectories(dir.resolve("features"));
        int[] keys = writeBags(features, 12);
        MilDataset data = MilDataset.load(features.resolve("labels.csv"), features);
        assertEquals(List.of("normal", "tumour"), data.classes());
        Path out = dir.resolve("out");
        MilRun.Outcome o = new MilRun(new MilRun.Settings(3, 8, 1e-3, 1e-4, 0, Device.CPU)).run(data, out);
        assertEquals(3, o.folds().size());
        assertTrue(o.aucMean() >= 0.9, "mean AUC " + o.aucMean());
        assertTrue(o.accuracyMean() >= 0.8, "mean accuracy " + o.accuracyMean());

        int found = 0;
        int positives = 0;
        for (int b = 0; b < keys.length; b++) {
            List<String> rows = Files.readAllLines(out.resolve(MilRun.ATTENTION_DIR).resolve(String.format("s%02d.csv", b)));
            assertEquals("index,file,col,row,x,y,size,attention", rows.get(0));
            double[] a = rows.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1)))
                    .toArray();
            assertEquals(1.0, Arrays.stream(a).sum(), 1e-4, "attention sums to 1");
            if (keys[b] >= 0) {
                positives++;
                int best = 0;
                for (int i = 1; i < a.length; i++) {
                    best = a[i] > a[best] ? i : best;
                }
                found += best == keys[b] ? 1 : 0;
                assertTrue(rows.get(keys[b] + 1).startsWith(keys[b] + ",s"), "rows keep the tile list's order");
            }
        }
        assertTrue(found >= 0.8 * positives, "attention peaks on the key instance in " + found + " of " + positives + " bags");

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(o.aucMean(), summary.get("auc_mean").asDouble(), 1e-12);
        assertEquals(3, summary.get("folds").size());
        assertEquals(25, Files.readAllLines(out.resolve("predictions.csv")).size());
        assertTrue(Files.exists(out.resolve("pooled_confusion.png")));
    }

    @Test
    void foldsAreStratifiedDisjointAndSeeded() {
        int[] labels = new int[47];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 25 ? 0 : i < 40 ? 1 : 2;
        }
        int[] folds = Stratified.folds(labels, 5, 3);
        boolean[] seen = new boolean[labels.length];
        for (int f = 0; f < 5; f++) {
            Stratified.Split s = Stratified.fold(folds, f);
            assertEquals(labels.length, s.train().length + s.test().length);
            int[] perClass = new int[3];
            for (int i : s.test()) {
                assertFalse(seen[i], "sample " + i + " in two test folds");
                seen[i] = true;
                perClass[labels[i]]++;
            }
            assertTrue(s.test().length == 9 || s.test().length == 10, "fold size " + s.test().length);
            assertEquals(5, perClass[0], "25 / 5 of class 0");
            assertEquals(3, perClass[1], "15 / 5 of class 1");
            assertTrue(perClass[2] == 1 || perClass[2] == 2, "7 / 5 of class 2");
            assertTrue(Arrays.stream(s.train()).noneMatch(i -> Arrays.binarySearch(s.test(), i) >= 0));
        }
        assertArrayEquals(folds, Stratified.folds(labels, 5, 3));
        assertFalse(Arrays.equals(folds, Stratified.folds(labels, 5, 4)));
    }

    @Test
    void badInputsAreNamed() throws IOException {
        Path features = Files.createDirectories(dir.resolve("f"));
        writeBags(features, 3);
        Path labels = features.resolve("labels.csv");
        Files.writeString(labels, "slide,label\ns00,a\nmissing,b\n");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> MilDataset.load(labels, features));
        assertTrue(missing.getMessage().contains("line 3: slide 'missing' has no features file"), missing.getMessage());

        Files.writeString(labels, "s00,a\ns00,b\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MilDataset.load(labels, features)).getMessage()
                .contains("listed twice"));

        NpyFloat.write(features.resolve("wide.npy"), new NpyFloat.Matrix(2, DIM + 1, new float[2 * (DIM + 1)]));
        Files.writeString(labels, "s00,a\nwide,b\n");
        ImageFormatException dims = assertThrows(ImageFormatException.class, () -> MilDataset.load(labels, features));
        assertTrue(dims.getMessage().contains("wide.npy") && dims.getMessage().contains("33 features per tile"),
                dims.getMessage());

        Files.writeString(labels, "s00,a\ns01,b\ns02,a\ns03,b\n");
        MilDataset few = MilDataset.load(labels, features);
        IllegalArgumentException folds = assertThrows(IllegalArgumentException.class,
                () -> new MilRun(new MilRun.Settings(3, 1, 1e-3, 0, 0, Device.CPU)).run(few, dir.resolve("o")));
        assertTrue(folds.getMessage().contains("label 'a' has 2 slides, fewer than the 3 folds"), folds.getMessage());
    }
}
