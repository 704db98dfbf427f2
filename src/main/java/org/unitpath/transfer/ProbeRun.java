package org.unitpath.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.ImageFolder;
import org.unitpath.eval.classify.ClassificationReport;
import org.unitpath.eval.classify.ReportFiles;
import org.unitpath.io.AtomicFiles;
import org.unitpath.io.CsvText;
import org.unitpath.io.NpyFloat;
import org.unitpath.torch.Device;

/**
 * The frozen-feature evaluation of a trunk on an image-folder dataset: features of every image
 * (cached), then a linear probe and a kNN classifier trained on the training images and scored on
 * the test images. Writes {@code linear_*} and {@code knn_*} metrics, confusion matrices,
 * {@code predictions.csv} and {@code summary.json} to the output folder.
 */
public final class ProbeRun {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeRun.class);

    /**
     * How to run: input side, batch, decoding threads, device; test fraction and seed when no test
     * folder is given; kNN k and temperature; the linear probe's L2 weight (null: the default) and
     * iteration cap; the feature cache folder.
     */
    public record Settings(int side, int batch, int threads, Device device, double testFraction, long seed, int k,
                           double temperature, Double l2, int maxIterations, Path cache) {}

    /** Both reports, the probe's fit and the sizes of the two sides. */
    public record Outcome(ClassificationReport linear, ClassificationReport knn, Lbfgs.Result fit, double l2, int train,
                          int test, int features) {}

    private ProbeRun() {}

    public static Outcome run(TrunkWeights.Loaded trunk, Path trainDir, Path testDir, Path out, Settings s) throws IOException {
        ImageFolder train = ImageFolder.scan(trainDir);
        if (train.classes().size() < 2) {
            throw new IllegalArgumentException(trainDir + ": only one class folder (" + train.classes().get(0)
                    + "); classification needs at least two");
        }
        FeatureExtractor fx = new FeatureExtractor(trunk.trunk(), s.device(), s.side(), s.batch(), s.threads());
        FeatureCache cache = new FeatureCache(s.cache(), trunk.file(), s.side());
        NpyFloat.Matrix trainX = cache.features(train.files(), fx, trainDir.toString());
        ImageFolder test;
        NpyFloat.Matrix testX;
        if (testDir != null) {
            test = ImageFolder.scan(testDir, train.classes());
            testX = cache.features(test.files(), fx, testDir.toString());
        } else {
            Stratified.Split split = Stratified.split(train.labels(), s.testFraction(), s.seed());
            test = train.subset(split.test());
            testX = rows(trainX, split.test());
            train = train.subset(split.train());
            trainX = rows(trainX, split.train());
            LOG.info("{}: stratified split with seed {}: {} training and {} test images", trainDir, s.seed(), train.size(),
                    test.size());
        }
        int classes = train.classes().size();
        double l2 = s.l2() != null ? s.l2() : LinearProbe.Settings.defaults(trainX.cols(), classes).l2();
        LinearProbe.Settings ls = new LinearProbe.Settings(l2, s.maxIterations(), LinearProbe.Settings.TOLERANCE);
        LinearProbe probe = LinearProbe.fit(trainX, train.labels(), classes, ls, s.device());
        if (!probe.fit().converged()) {
            LOG.warn("linear probe: L-BFGS stopped at its cap of {} iterations before converging", s.maxIterations());
        }
        double[][] linearScores = probe.probabilities(testX, s.device());
        double[][] knnScores = KnnProbe.scores(trainX, train.labels(), classes, testX, s.k(), s.temperature(), s.device());
        ClassificationReport linear = ClassificationReport.of(train.classes(), test.labels(), linearScores);
        ClassificationReport knn = ClassificationReport.of(train.classes(), test.labels(), knnScores);

        Map<String, Object> common = new LinkedHashMap<>();
        common.put("weights", trunk.file().toString());
        common.put("trunk", trunk.describe());
        common.put("train_images", train.size());
        common.put("test_images", test.size());
        common.put("input_size", s.side());
        Map<String, Object> linearInfo = new LinkedHashMap<>(common);
        linearInfo.put("method", "logistic regression on standardised features, L-BFGS");
        linearInfo.put("l2", ls.l2());
        linearInfo.put("iterations", probe.fit().iterations());
        linearInfo.put("converged", probe.fit().converged());
        Map<String, Object> knnInfo = new LinkedHashMap<>(common);
        knnInfo.put("method", "weighted kNN on L2-normalised features, cosine similarity");
        knnInfo.put("k", s.k());
        knnInfo.put("temperature", s.temperature());
        ReportFiles.write(out, "linear_", linear, linearInfo);
        ReportFiles.write(out, "knn_", knn, knnInfo);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("linear", merged(linear, linearInfo));
        summary.put("knn", merged(knn, knnInfo));
        ReportFiles.writeJson(out.resolve("summary.json"), summary);
        writePredictions(out.resolve("predictions.csv"), test, linearScores, knnScores);
        return new Outcome(linear, knn, probe.fit(), ls.l2(), train.size(), test.size(), trainX.cols());
    }

    private static Map<String, Object> merged(ClassificationReport r, Map<String, Object> info) {
        Map<String, Object> m = r.toJson();
        m.putAll(info);
        return m;
    }

    private static void writePredictions(Path file, ImageFolder test, double[][] linear, double[][] knn) throws IOException {
        StringBuilder sb = new StringBuilder("file,true,linear,knn\n");
        List<String> classes = test.classes();
        for (int i = 0; i < test.size(); i++) {
            ImageFolder.Item item = test.items().get(i);
            sb.append(CsvText.row(List.of(item.file().toString(), classes.get(item.label()),
                    classes.get(ClassificationReport.argmax(linear[i])), classes.get(ClassificationReport.argmax(knn[i])))));
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static NpyFloat.Matrix rows(NpyFloat.Matrix m, int[] idx) {
        int c = m.cols();
        float[] out = new float[idx.length * c];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(m.data(), idx[i] * c, out, i * c, c);
        }
        return new NpyFloat.Matrix(idx.length, c, out);
    }
}
