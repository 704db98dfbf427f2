package org.unitpath.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.eval.classify.ClassificationReport;
import org.unitpath.io.NpyFloat;
import org.unitpath.io.RgbImage;
import org.unitpath.torch.Device;

/** Linear probe and kNN on tiles of the demo image vs synthetic colour patterns, through a random narrow trunk. */
class ProbeTest {
    private static final List<String> CLASSES = List.of("ihc", "pattern");
    private static NpyFloat.Matrix features;
    private static int[] labels;

    @BeforeAll
    static void embed(@TempDir Path dir) throws IOException {
        List<RgbImage> tiles = TransferFixtures.ihcTiles(dir, 48);
        List<RgbImage> all = new ArrayList<>(tiles);
        for (int i = 0; i < tiles.size(); i++) {
            all.add(TransferFixtures.pattern(i));
        }
        labels = new int[all.size()];
        for (int i = tiles.size(); i < all.size(); i++) {
            labels[i] = 1;
        }
        features = TransferFixtures.features(TransferFixtures.narrowTrunk("BN", 11), all);
    }

    private static NpyFloat.Matrix rows(int[] idx) {
        return ProbeRun.rows(features, idx);
    }

    private static int[] pick(int[] y, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = y[idx[i]];
        }
        return out;
    }

    /** Balanced accuracy on the test half of linear probe and kNN trained on the other half, labels {@code y}. */
    private static double[] accuracies(int[] y) {
        Stratified.Split s = Stratified.split(y, 0.5, 1);
        NpyFloat.Matrix train = rows(s.train());
        NpyFloat.Matrix test = rows(s.test());
        int[] yTrain = pick(y, s.train());
        int[] yTest = pick(y, s.test());
        LinearProbe lp = LinearProbe.fit(train, yTrain, 2, LinearProbe.Settings.defaults(features.cols(), 2), Device.CPU);
        assertTrue(lp.fit().converged(), "L-BFGS converged: " + lp.fit());
        double linear = ClassificationReport.of(CLASSES, yTest, lp.probabilities(test, Device.CPU))
                .confusion().balancedAccuracy();
        double knn = ClassificationReport.of(CLASSES, yTest, KnnProbe.scores(train, yTrain, 2, test, KnnProbe.DEFAULT_K,
                KnnProbe.DEFAULT_TEMPERATURE, Device.CPU)).confusion().balancedAccuracy();
        return new double[] {linear, knn};
    }

    @Test
    void separableClassesAreSeparated() {
        double[] acc = accuracies(labels);
        assertTrue(acc[0] >= 0.9, "linear probe balanced accuracy " + acc[0]);
        assertTrue(acc[1] >= 0.9, "kNN balanced accuracy " + acc[1]);
    }

    @Test
    void shuffledLabelsGiveChance() {
        List<Integer> y = new ArrayList<>();
        for (int l : labels) {
            y.add(l);
        }
        double[] mean = new double[2];
        for (int seed = 0; seed < 3; seed++) {
            Collections.shuffle(y, new Random(seed));
            double[] acc = accuracies(y.stream().mapToInt(Integer::intValue).toArray());
            mean[0] += acc[0] / 3;
            mean[1] += acc[1] / 3;
        }
        assertTrue(Math.abs(mean[0] - 0.5) < 0.12, "linear probe on shuffled labels: " + mean[0]);
        assertTrue(Math.abs(mean[1] - 0.5) < 0.12, "kNN on shuffled labels: " + mean[1]);
    }

    @Test
    void linearProbeIsDeterministicAndMinimisesItsObjective() {
        Stratified.Split s = Stratified.split(labels, 0.5, 2);
        NpyFloat.Matrix train = rows(s.train());
        int[] y = pick(labels, s.train());
        LinearProbe.Settings settings = LinearProbe.Settings.defaults(features.cols(), 2);
        LinearProbe a = LinearProbe.fit(train, y, 2, settings, Device.CPU);
        LinearProbe b = LinearProbe.fit(train, y, 2, settings, Device.CPU);
        assertEquals(a.fit().value(), b.fit().value(), 0.0, "same data, same result");
        assertEquals(a.fit().iterations(), b.fit().iterations());
        double[][] pa = a.probabilities(rows(s.test()), Device.CPU);
        double[][] pb = b.probabilities(rows(s.test()), Device.CPU);
        for (int i = 0; i < pa.length; i++) {
            assertEquals(pa[i][0], pb[i][0], 0.0);
            assertEquals(1.0, pa[i][0] + pa[i][1], 1e-6);
        }
    }
}
