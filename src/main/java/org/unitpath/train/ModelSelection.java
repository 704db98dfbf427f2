package org.unitpath.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which evaluation's weights become model_best.pt: the one with the highest TEST.BEST_METRIC on
 * the validation set. Test metrics ride along for reporting and are never compared, so the choice
 * cannot depend on the test set. Without a validation set nothing is chosen: the newest evaluation
 * stands in (chosen by "last"), as picking on the test set would overstate the result.
 */
public final class ModelSelection {
    /** What {@link #chosenBy()} says when there is no validation set. */
    public static final String LAST = "last";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One evaluation: its iteration and the metrics on the validation and test images (empty when that set is absent). */
    public record Point(long iteration, Map<String, Double> val, Map<String, Double> test) {
        public Point {
            val = Collections.unmodifiableMap(new LinkedHashMap<>(val));
            test = Collections.unmodifiableMap(new LinkedHashMap<>(test));
        }
    }

    private final String metric;
    private final boolean validated;
    private Point chosen;
    private Point last;

    /** Chooses by {@code metric} on validation when {@code validated}, otherwise takes the last evaluation. */
    public ModelSelection(String metric, boolean validated) {
        this.metric = metric;
        this.validated = validated;
    }

    /** Records an evaluation; true when it is now the chosen one (its weights should be saved as the best). */
    public boolean offer(Point p) {
        last = p;
        if (!validated) {
            chosen = p;
            return true;
        }
        Double v = p.val().get(metric);
        if (v == null || v.isNaN() || chosen != null && v <= chosen.val().get(metric)) {
            return false;
        }
        chosen = p;
        return true;
    }

    /** "val_aji" (the validation metric that chose) or {@link #LAST}. */
    public String chosenBy() {
        return validated ? "val_" + metric : LAST;
    }

    /** The chosen evaluation, or null before any (or when no validation value was finite). */
    public Point chosen() {
        return chosen;
    }

    /** The newest evaluation, or null before any. */
    public Point last() {
        return last;
    }

    /** best.json: the chosen iteration with its validation and test metrics, and the last iteration's. */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        if (chosen == null) {
            root.putNull("iteration");
        } else {
            root.put("iteration", chosen.iteration());
        }
        root.put("chosen_by", chosenBy());
        if (!validated) {
            root.put("note", "no validation set (TEST.VAL_FRACTION, DATASETS.VAL_JSON): nothing is chosen, this is the last evaluation");
        }
        root.put("last_iteration", last == null ? -1 : last.iteration());
        if (chosen != null) {
            metrics(root, "val", chosen.val());
            metrics(root, "test", chosen.test());
        }
        if (last != null) {
            metrics(root, "last_val", last.val());
            metrics(root, "last_test", last.test());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void metrics(ObjectNode root, String name, Map<String, Double> m) {
        if (m.isEmpty()) {
            return;
        }
        ObjectNode node = root.putObject(name);
        m.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                node.put(k, v);
            } else {
                node.putNull(k);
            }
        });
    }

    /** The state a checkpoint keeps so that a resumed run chooses as an uninterrupted one. */
    Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "chosen", chosen);
        put(out, "last", last);
        return out;
    }

    private static void put(Map<String, Object> out, String name, Point p) {
        out.put(name + "_iteration", p == null ? -1L : p.iteration());
        out.put(name + "_val", new LinkedHashMap<>(p == null ? Map.of() : p.val()));
        out.put(name + "_test", new LinkedHashMap<>(p == null ? Map.of() : p.test()));
    }

    /** Restores {@link #state()} from a checkpoint; one written before validation existed leaves the selection empty. */
    void restore(Map<String, Object> ckpt) {
        chosen = point(ckpt, "chosen");
        last = point(ckpt, "last");
    }

    @SuppressWarnings("unchecked")
    private static Point point(Map<String, Object> ckpt, String name) {
        Object it = ckpt.get(name + "_iteration");
        if (!(it instanceof Number n) || n.longValue() < 0) {
            return null;
        }
        return new Point(n.longValue(), doubles((Map<String, Number>) ckpt.get(name + "_val")),
                doubles((Map<String, Number>) ckpt.get(name + "_test")));
    }

    private static Map<String, Double> doubles(Map<String, Number> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, v.doubleValue()));
        }
        return out;
    }
}
