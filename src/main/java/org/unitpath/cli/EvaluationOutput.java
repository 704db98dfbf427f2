package org.unitpath.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unitpath.eval.Evaluation;
import org.unitpath.eval.ImageScores;
import org.unitpath.eval.Metric;

/** {@code unitpath evaluate}'s two formats: a table for people, one JSON object for programs. */
final class EvaluationOutput {
    private EvaluationOutput() {}

    static String table(Evaluation.Report r, String source) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d image%s: %s%n%n", r.perImage().size(), r.perImage().size() == 1 ? "" : "s", source));
        s.append(String.format(Locale.ROOT, "%-13s %8s  %-18s %s%n", "metric", "value", "over the images", "convention"));
        for (Map.Entry<Metric, Double> e : r.summary().entrySet()) {
            Metric m = e.getKey();
            s.append(String.format(Locale.ROOT, "%-13s %8s  %-18s %s%n", m.key(), number(e.getValue()), scope(m), m.convention()));
        }
        s.append(String.format(Locale.ROOT, "%nempty rule (the paper's): an image with no nucleus in truth and prediction scores 1,"
                + " one with nuclei on one side only 0.%n"));
        if (!r.summary().containsKey(Metric.AP)) {
            s.append(String.format(Locale.ROOT, "COCO AP needs scored predictions (a COCO results or instance file with 'score').%n"));
        }
        return s.toString();
    }

    private static String scope(Metric m) {
        return switch (m.scope()) {
            case MEAN -> "mean";
            case MEAN_DEFINED -> "mean where defined";
            case SUMMED -> "summed counts";
            case COCO -> "COCOeval";
        };
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String json(Evaluation.Report r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("images", r.perImage().size());
        r.summary().forEach((m, v) -> root.put(m.key(), finite(v)));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ImageScores s : r.perImage()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file", s.name());
            row.put("truth_instances", s.truthInstances());
            row.put("pred_instances", s.predInstances());
            for (Metric m : Metric.perImage()) {
                if (m != Metric.MPQ || r.multiClass()) {
                    row.put(m.key(), finite(s.value(m)));
                }
            }
            rows.add(row);
        }
        root.put("per_image", rows);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot format the report as JSON", e);
        }
    }

    /** JSON has no NaN: undefined values are null. */
    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
