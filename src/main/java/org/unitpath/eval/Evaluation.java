package org.unitpath.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Scores a set of images and aggregates them into the dataset summary {@code unitpath evaluate}
 * prints, for the command line and for training loops that evaluate every N iterations.
 *
 * <p>Per image ({@link #score}, thread-safe) the instance maps are compared and only what the
 * aggregates need is kept (the scores, and for COCO AP the masks as RLE), so maps of many
 * large images need not stay in memory together. {@link #report} then forms the dataset values
 * (see {@link Metric} for how each one is aggregated). Multi-class metrics ({@code mpq},
 * {@code mpq_plus}, and AP per category) are reported when every truth and prediction carries
 * classes and the truth has at least two; COCO AP when every prediction carries scores.
 */
public final class Evaluation {
    private Evaluation() {}

    /** One image: its name (as reported per image), ground truth and prediction. */
    public record Item(String name, Truth truth, Prediction prediction) {}

    /** What one image contributes to the report. */
    public record Scored(ImageScores scores, CocoEval.Image coco, boolean classed) {}

    /** The dataset values (only the metrics that apply, in {@link Metric} order) and the per-image scores. */
    public record Report(Map<Metric, Double> summary, List<ImageScores> perImage) {
        public Report {
            Map<Metric, Double> copy = new EnumMap<>(Metric.class);
            copy.putAll(summary);
            summary = Collections.unmodifiableMap(copy);
            perImage = List.copyOf(perImage);
        }

        public boolean multiClass() {
            return summary.containsKey(Metric.MPQ);
        }
    }

    /** Scores one image; {@code id} orders images for COCO AP (pycocotools sorts by image id). */
    public static Scored score(long id, Item item) {
        Truth t = item.truth();
        Prediction p = item.prediction();
        boolean classed = t.classes() != null && p.classes() != null;
        ImageScores s;
        try {
            s = NucleusMetrics.score(item.name(), t.map(), p.map(), classed ? t.classes() : null, classed ? p.classes() : null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(item.name() + ": " + e.getMessage(), e);
        }
        CocoEval.Image coco = p.scored()
                ? new CocoEval.Image(id, t.map().width(), t.map().height(), t.objects(), p.detections()) : null;
        return new Scored(s, coco, classed);
    }

    /** The dataset summary; {@code maxDets} is COCO's detections-per-image limit (100; the paper 1500). */
    public static Report report(List<Scored> images, int maxDets) {
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        List<ImageScores> scores = images.stream().map(Scored::scores).toList();
        for (Metric m : Metric.values()) {
            if (m.scope() == Metric.Scope.MEAN || (m.scope() == Metric.Scope.MEAN_DEFINED && m != Metric.MPQ)) {
                out.put(m, mean(scores, m));
            }
        }
        PqCounts total = PqCounts.ZERO;
        Map<Integer, PqCounts> perClass = new TreeMap<>();
        for (ImageScores s : scores) {
            total = total.plus(s.counts());
            s.perClass().forEach((c, v) -> perClass.merge(c, v, PqCounts::plus));
        }
        out.put(Metric.PRECISION, total.precision());
        out.put(Metric.RECALL, total.recall());
        out.put(Metric.F1, total.f1());
        out.put(Metric.BPQ, total.summedPq());
        perClass.values().removeIf(c -> c.tp() + c.fn() == 0); // classes absent from the truth
        boolean multiClass = !images.isEmpty() && images.stream().allMatch(Scored::classed) && perClass.size() >= 2;
        if (multiClass) {
            out.put(Metric.MPQ, mean(scores, Metric.MPQ));
            out.put(Metric.MPQ_PLUS, perClass.values().stream().mapToDouble(PqCounts::summedPq).average().orElse(Double.NaN));
        }
        if (!images.isEmpty() && images.stream().allMatch(i -> i.coco() != null)) {
            List<CocoEval.Image> coco = images.stream().map(Scored::coco).toList();
            put(out, CocoEval.evaluate(coco, true, maxDets, multiClass), Metric.AP, Metric.AP50, Metric.AP75,
                    Metric.AP_S, Metric.AP_M, Metric.AP_L);
            put(out, CocoEval.evaluate(coco, false, maxDets, multiClass), Metric.BOX_AP, Metric.BOX_AP50, Metric.BOX_AP75,
                    Metric.BOX_AP_S, Metric.BOX_AP_M, Metric.BOX_AP_L);
        }
        return new Report(out, scores);
    }

    /** Scores and aggregates in-memory images with {@code threads} workers (0: one per core). */
    public static Report run(List<Item> items, int maxDets, int threads) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        ForkJoinPool pool = new ForkJoinPool(n);
        try {
            List<Scored> scored = pool.submit(() -> IntStream.range(0, items.size()).parallel()
                    .mapToObj(i -> score(i, items.get(i))).toList()).get();
            return report(scored, maxDets);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private static void put(Map<Metric, Double> out, CocoEval.Result r, Metric... keys) {
        double[] v = {r.ap(), r.ap50(), r.ap75(), r.apSmall(), r.apMedium(), r.apLarge()};
        for (int i = 0; i < keys.length; i++) {
            out.put(keys[i], v[i]);
        }
    }

    private static double mean(List<ImageScores> scores, Metric m) {
        List<Double> values = new ArrayList<>();
        for (ImageScores s : scores) {
            double v = s.value(m);
            if (!Double.isNaN(v) || m.scope() == Metric.Scope.MEAN) {
                values.add(v);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
