package org.unitpath.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.eval.classify.ClassificationReport;
import org.unitpath.eval.classify.ReportFiles;
import org.unitpath.io.AtomicFiles;
import org.unitpath.io.CsvText;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.NpyFloat;
import org.unitpath.optim.Adam;
import org.unitpath.report.Progress;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * Stratified k-fold cross-validation of gated ABMIL on bags of tile features: per fold a fresh
 * model is trained with Adam (one bag per step, cross-entropy) for a fixed number of epochs and
 * scores the held-out slides. Every slide thus gets a prediction and attention map from the one
 * model that did not train on it.
 */
public final class MilRun {
    public static final String ATTENTION_DIR = "attention";

    public record Settings(int folds, int epochs, double lr, double weightDecay, long seed, Device device) {
        public Settings {
            if (folds < 2 || epochs < 1 || !(lr > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("need folds >= 2, epochs >= 1, lr > 0 and weight decay >= 0");
            }
        }
    }

    /** One fold: sizes and the held-out metrics. */
    public record Fold(int index, int train, int test, double auc, double accuracy, double balancedAccuracy) {}

    /** Per-fold results, their mean and standard deviation (numpy.std, ddof 0), and the pooled out-of-fold report. */
    public record Outcome(List<Fold> folds, double aucMean, double aucStd, double accuracyMean, double accuracyStd,
                          ClassificationReport pooled) {}

    /** A held-out bag's class probabilities and attention over its tiles. */
    private record Scored(double[] probabilities, float[] attention) {}

    private final Settings s;

    public MilRun(Settings settings) {
        this.s = settings;
    }

    public Outcome run(MilDataset data, Path out) throws IOException {
        int[] labels = data.labels();
        checkClassSizes(data, labels);
        int[] foldOf = Stratified.folds(labels, s.folds(), s.seed());
        int n = data.bags().size();
        double[][] scores = new double[n][];
        List<Fold> folds = new ArrayList<>();
        long steps = 0;
        for (int f = 0; f < s.folds(); f++) {
            steps += (long) Stratified.fold(foldOf, f).train().length * s.epochs();
        }
        Progress progress = new Progress(steps, Math.max(1, steps / 20), 1);
        long[] step = {0};
        for (int f = 0; f < s.folds(); f++) {
            Stratified.Split split = Stratified.fold(foldOf, f);
            Abmil model = train(data, split.train(), f, progress, step);
            model.eval();
            double[][] foldScores = new double[split.test().length][];
            int[] foldTruth = new int[split.test().length];
            for (int i = 0; i < split.test().length; i++) {
                MilDataset.Bag bag = data.bags().get(split.test()[i]);
                Scored sc = score(model, bag);
                scores[split.test()[i]] = sc.probabilities();
                foldScores[i] = sc.probabilities();
                foldTruth[i] = bag.label();
                writeAttention(out.resolve(ATTENTION_DIR).resolve(bag.slide() + ".csv"), bag, sc.attention());
            }
            ClassificationReport r = ClassificationReport.of(data.classes(), foldTruth, foldScores);
            folds.add(new Fold(f, split.train().length, split.test().length, r.aucMacro(), r.confusion().accuracy(),
                    r.confusion().balancedAccuracy()));
        }
        progress.finish();
        ClassificationReport pooled = ClassificationReport.of(data.classes(), labels, scores);
        double[] auc = folds.stream().mapToDouble(Fold::auc).toArray();
        double[] acc = folds.stream().mapToDouble(Fold::accuracy).toArray();
        Outcome o = new Outcome(folds, mean(auc), std(auc), mean(acc), std(acc), pooled);
        writeResults(out, data, foldOf, scores, o);
        return o;
    }

    private void checkClassSizes(MilDataset data, int[] labels) {
        int[] count = new int[data.classes().size()];
        for (int l : labels) {
            count[l]++;
        }
        for (int c = 0; c < count.length; c++) {
            if (count[c] < s.folds()) {
                throw new IllegalArgumentException("label '" + data.classes().get(c) + "' has " + count[c]
                        + " slides, fewer than the " + s.folds() + " folds; every test fold needs each label (lower --folds)");
            }
        }
    }

    private Abmil train(MilDataset data, int[] train, int fold, Progress progress, long[] step) throws IOException {
        Torch.seed(s.seed() * 1_000_003L + fold);
        Abmil model = new Abmil(data.features(), data.classes().size());
        model.to(s.device());
        model.train(true);
        Adam opt = new Adam(new Adam.Group(model.trainableParameters(), s.lr(), 0.9, 0.999, 1e-8, s.weightDecay()));
        org.bytedeco.pytorch.Device d = s.device().toNative();
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            int[] order = train.clone();
            Stratified.shuffle(order, new Random((s.seed() * 1_000_003L + fold) * 1_000_003L + epoch));
            for (int i : order) {
                MilDataset.Bag bag = data.bags().get(i);
                double loss;
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor logits = model.forward(bagTensor(bag, d)).logits();
                    Tensor l = torch.log_softmax(logits, 1).select(1, bag.label()).neg().sum();
                    opt.zeroGrad();
                    l.backward();
                    opt.step();
                    loss = l.item_double();
                }
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("MIL training diverged in fold " + (fold + 1) + " (loss " + loss
                            + "); lower --lr");
                }
                progress.update(++step[0], Map.of("loss", loss));
            }
        }
        return model;
    }

    private static Tensor bagTensor(MilDataset.Bag bag, org.bytedeco.pytorch.Device d) throws IOException {
        NpyFloat.Matrix m = NpyFloat.read(bag.features());
        return Tensors.of(m.data(), m.rows(), m.cols()).to(d, ScalarType.Float);
    }

    private Scored score(Abmil model, MilDataset.Bag bag) throws IOException {
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Abmil.Output o = model.forward(bagTensor(bag, s.device().toNative()));
            float[] p = Tensors.toFloats(torch.softmax(o.logits(), 1));
            double[] probabilities = new double[p.length];
            for (int c = 0; c < p.length; c++) {
                probabilities[c] = p[c];
            }
            return new Scored(probabilities, Tensors.toFloats(o.attention()));
        }
    }

    /** The bag's tile list (from its .tiles.csv when there is one) with an attention column. */
    private static void writeAttention(Path file, MilDataset.Bag bag, float[] attention) throws IOException {
        Path tiles = MilDataset.tilesCsv(bag);
        StringBuilder sb = new StringBuilder();
        if (Files.isRegularFile(tiles)) {
            List<CsvText.Row> rows = CsvText.read(tiles);
            if (rows.size() != attention.length + 1) {
                throw new ImageFormatException(tiles, (rows.size() - 1) + " tiles listed, but " + bag.features() + " has "
                        + attention.length + " rows");
            }
            for (int i = 0; i < rows.size(); i++) {
                List<String> fields = new ArrayList<>(rows.get(i).fields());
                fields.add(i == 0 ? "attention" : Float.toString(attention[i - 1]));
                sb.append(CsvText.row(fields));
            }
        } else {
            sb.append("index,attention\n");
            for (int i = 0; i < attention.length; i++) {
                sb.append(i).append(',').append(attention[i]).append('\n');
            }
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void writeResults(Path out, MilDataset data, int[] foldOf, double[][] scores, Outcome o) throws IOException {
        StringBuilder sb = new StringBuilder("slide,label,fold,predicted");
        data.classes().forEach(c -> sb.append(",p_").append(CsvText.field(c)));
        sb.append('\n');
        for (int i = 0; i < scores.length; i++) {
            MilDataset.Bag bag = data.bags().get(i);
            List<String> fields = new ArrayList<>(List.of(bag.slide(), data.classes().get(bag.label()),
                    Integer.toString(foldOf[i] + 1), data.classes().get(ClassificationReport.argmax(scores[i]))));
            for (double p : scores[i]) {
                fields.add(Double.toString(p));
            }
            sb.append(CsvText.row(fields));
        }
        AtomicFiles.write(out.resolve("predictions.csv"), sb.toString().getBytes(StandardCharsets.UTF_8));

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("slides", scores.length);
        info.put("k", s.folds());
        info.put("epochs", s.epochs());
        info.put("lr", s.lr());
        info.put("seed", s.seed());
        ReportFiles.write(out, "pooled_", o.pooled(), info);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("classes", data.classes());
        summary.put("auc_mean", o.aucMean());
        summary.put("auc_std", o.aucStd());
        summary.put("accuracy_mean", o.accuracyMean());
        summary.put("accuracy_std", o.accuracyStd());
        List<Map<String, Object>> folds = new ArrayList<>();
        for (Fold f : o.folds()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fold", f.index() + 1);
            m.put("train_slides", f.train());
            m.put("test_slides", f.test());
            m.put("auc", f.auc());
            m.put("accuracy", f.accuracy());
            m.put("balanced_accuracy", f.balancedAccuracy());
            folds.add(m);
        }
        summary.put("folds", folds);
        summary.putAll(info);
        ReportFiles.writeJson(out.resolve("summary.json"), summary);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
