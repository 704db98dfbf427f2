package org.unitpath.transfer;

import java.io.IOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.ImageFolder;
import org.unitpath.eval.classify.ClassificationReport;
import org.unitpath.optim.Adam;
import org.unitpath.optim.Optimizer;
import org.unitpath.optim.Sgd;
import org.unitpath.report.MetricsLog;
import org.unitpath.report.Progress;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;

/**
 * Full fine-tuning of trunk + linear head on an image-folder dataset: cross-entropy, Adam or
 * SGD (Detectron2's grouping: no weight decay on norm layers), cosine or constant learning
 * rate, random flips and 90-degree rotations, validation after every epoch. The best epoch by
 * validation balanced accuracy is kept as {@code best.pt}; every epoch ends with
 * {@code checkpoint.pt} (model, optimizer, progress), from which a run resumes.
 * Shuffling and augmentation depend only on the seed and the epoch, so a resumed run repeats
 * the uninterrupted one.
 */
public final class FineTuner {
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);
    public static final String CHECKPOINT = "checkpoint.pt";
    public static final String BEST = "best.pt";

    public enum OptimizerKind { adam, sgd }

    public enum Schedule { cosine, constant }

    /** Training settings; {@code valFraction} splits the training folder when there is no validation folder. */
    public record Settings(int epochs, double lr, OptimizerKind optimizer, double momentum, double weightDecay,
                           Schedule schedule, boolean augment, long seed, int side, int batch, int threads, Device device,
                           double valFraction) {
        public Settings {
            if (epochs < 1 || !(lr > 0) || !(weightDecay >= 0) || !(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("need epochs >= 1, lr > 0, weight decay >= 0 and momentum in [0, 1)");
            }
        }

        double lrAt(long step, long total) {
            return schedule == Schedule.constant ? lr : lr * 0.5 * (1 + Math.cos(Math.PI * step / total));
        }
    }

    /** Best epoch (1-based) and score, the best model's validation report and, with a test folder, its test report. */
    public record Outcome(int bestEpoch, double bestScore, ClassificationReport validation, ClassificationReport test,
                          int firstEpoch, List<String> classes) {}

    private final Settings s;
    private final Path out;

    public FineTuner(Settings settings, Path out) {
        this.s = settings;
        this.out = out;
    }

    public Outcome run(TrunkWeights.Loaded weights, Path trainDir, Path valDir, Path testDir, boolean resume) throws IOException {
        ImageFolder train = ImageFolder.scan(trainDir);
        ImageFolder val;
        if (valDir != null) {
            val = ImageFolder.scan(valDir, train.classes());
        } else {
            Stratified.Split split = Stratified.split(train.labels(), s.valFraction(), s.seed());
            val = train.subset(split.test());
            train = train.subset(split.train());
        }
        ImageFolder test = testDir == null ? null : ImageFolder.scan(testDir, train.classes());
        List<String> classes = train.classes();
        if (classes.size() < 2) {
            throw new IllegalArgumentException(trainDir + ": only one class folder; classification needs at least two");
        }
        Torch.seed(s.seed());
        ClassifierNet net = new ClassifierNet(weights.trunk(), classes.size());
        net.to(s.device());
        Optimizer<?> opt = s.optimizer() == OptimizerKind.sgd
                ? Sgd.detectron2(net, s.lr(), s.momentum(), s.weightDecay(), 0)
                : new Adam(new Adam.Group(net.trainableParameters(), s.lr(), 0.9, 0.999, 1e-8, s.weightDecay()));
        Path checkpoint = out.resolve(CHECKPOINT);
        int first = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        if (Files.exists(checkpoint) && !resume) {
            throw new IllegalArgumentException(out + " already holds a fine-tuning run (" + CHECKPOINT
                    + "); add --resume to continue it, or choose another --out");
        }
        if (resume && Files.exists(checkpoint)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ckpt = (Map<String, Object>) PtFile.read(checkpoint);
            if (!classes.equals(ckpt.get("classes"))) {
                throw new IllegalArgumentException(checkpoint + ": trained on classes " + ckpt.get("classes") + ", but "
                        + trainDir + " has " + classes);
            }
            @SuppressWarnings("unchecked")
            Map<String, Tensor> model = (Map<String, Tensor>) ckpt.get("model");
            net.loadStateDict(model, true);
            @SuppressWarnings("unchecked")
            Map<String, ?> optimizer = (Map<String, ?>) ckpt.get("optimizer");
            opt.loadStateDict(optimizer);
            first = ((Number) ckpt.get("epoch")).intValue();
            bestScore = ((Number) ckpt.get("best_score")).doubleValue();
            bestEpoch = ((Number) ckpt.get("best_epoch")).intValue();
            LOG.info("resuming {} after epoch {} (best so far: epoch {}, balanced accuracy {})", checkpoint, first, bestEpoch,
                    bestScore);
        } else if (resume) {
            LOG.info("{}: no checkpoint to resume from, starting afresh", out);
        }
        long perEpoch = (train.size() + s.batch() - 1) / s.batch();
        long total = perEpoch * s.epochs();
        Progress progress = new Progress(Math.max(1, total), Math.max(1, perEpoch / 4), s.batch());
        try (MetricsLog log = first == 0 ? MetricsLog.open(out) : MetricsLog.open(out, first + 1, (long) first * train.size())) {
            for (int epoch = first; epoch < s.epochs(); epoch++) {
                double loss = trainEpoch(net, opt, train, epoch, perEpoch, total, progress);
                ClassificationReport r = evaluate(net, val);
                double score = r.confusion().balancedAccuracy();
                Map<String, Double> scalars = new LinkedHashMap<>();
                scalars.put("train_loss", loss);
                scalars.put("val_balanced_accuracy", score);
                scalars.put("val_accuracy", r.confusion().accuracy());
                scalars.put("val_macro_f1", r.confusion().macroF1());
                scalars.put("lr", s.lrAt((epoch + 1) * perEpoch - 1, total));
                log.append(epoch + 1, (long) (epoch + 1) * train.size(), scalars);
                if (score > bestScore) {
                    bestScore = score;
                    bestEpoch = epoch + 1;
                    PtFile.write(out.resolve(BEST), new LinkedHashMap<>(net.torchvisionStateDict()));
                }
                LOG.info("epoch {}/{}: train loss {}, validation balanced accuracy {} (best {} at epoch {})", epoch + 1,
                        s.epochs(), String.format("%.4f", loss), String.format("%.4f", score), String.format("%.4f", bestScore),
                        bestEpoch);
                saveCheckpoint(checkpoint, net, opt, epoch + 1, bestScore, bestEpoch, classes);
            }
        }
        progress.finish();
        net.loadTorchvisionStateDict(PtFile.readStateDict(out.resolve(BEST)));
        return new Outcome(bestEpoch, bestScore, evaluate(net, val), test == null ? null : evaluate(net, test), first + 1,
                classes);
    }

    private double trainEpoch(ClassifierNet net, Optimizer<?> opt, ImageFolder train, int epoch, long perEpoch, long total,
            Progress progress) throws IOException {
        net.train(true);
        Random rng = new Random(s.seed() * 1_000_003L + epoch);
        int[] order = InputBatches.sequence(train.size());
        Stratified.shuffle(order, rng);
        int[] labels = train.labels();
        double sum = 0;
        long step = epoch * perEpoch;
        try (InputBatches batches = new InputBatches(ImageSource.of(train.files()), order, s.batch(), s.side(), s.threads())) {
            while (batches.hasNext()) {
                InputBatches.Batch b = batches.next();
                int plane = 3 * s.side() * s.side();
                float[] y = new float[b.n()];
                for (int i = 0; i < b.n(); i++) {
                    if (s.augment()) {
                        Dihedral.apply(b.pixels(), i * plane, s.side(), rng.nextInt(8));
                    }
                    y[i] = labels[b.indices()[i]];
                }
                double lr = s.lrAt(step, total);
                opt.groups().forEach(g -> g.lr = lr);
                double loss;
                try (MemoryScope scope = MemoryScope.open()) {
                    org.bytedeco.pytorch.Device d = s.device().toNative();
                    Tensor x = Tensors.of(b.pixels(), b.n(), 3, s.side(), s.side()).to(d, ScalarType.Float);
                    Tensor target = Tensors.of(y, b.n()).to(d, ScalarType.Long);
                    Tensor l = torch.log_softmax(net.forward(x), 1).gather(1, target.unsqueeze(1)).mean().neg();
                    opt.zeroGrad();
                    l.backward();
                    opt.step();
                    loss = l.item_double();
                }
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("training diverged at epoch " + (epoch + 1) + " (loss " + loss
                            + "); lower --lr. The last good state is " + out.resolve(CHECKPOINT));
                }
                sum += loss * b.n();
                progress.update(++step, Map.of("loss", loss));
            }
        }
        return sum / train.size();
    }

    /** Softmax scores of every image of {@code set}, in evaluation mode. */
    ClassificationReport evaluate(ClassifierNet net, ImageFolder set) throws IOException {
        net.eval();
        int k = set.classes().size();
        List<double[]> scores = new ArrayList<>();
        try (InputBatches batches = new InputBatches(ImageSource.of(set.files()), InputBatches.sequence(set.size()), s.batch(),
                s.side(), s.threads())) {
            while (batches.hasNext()) {
                InputBatches.Batch b = batches.next();
                try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                    Tensor x = Tensors.of(b.pixels(), b.n(), 3, s.side(), s.side()).to(s.device().toNative(), ScalarType.Float);
                    float[] p = Tensors.toFloats(torch.softmax(net.forward(x), 1));
                    for (double[] row : LinearProbe.rows(p, b.n(), k)) {
                        scores.add(row);
                    }
                }
            }
        }
        return ClassificationReport.of(set.classes(), set.labels(), scores.toArray(double[][]::new));
    }

    private static void saveCheckpoint(Path file, ClassifierNet net, Optimizer<?> opt, int epoch, double bestScore, int bestEpoch,
            List<String> classes) throws IOException {
        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("model", new LinkedHashMap<>(net.stateDict()));
        ckpt.put("optimizer", opt.stateDict());
        ckpt.put("epoch", (long) epoch);
        ckpt.put("best_score", bestScore);
        ckpt.put("best_epoch", (long) bestEpoch);
        ckpt.put("classes", classes);
        PtFile.write(file, ckpt);
    }
}
