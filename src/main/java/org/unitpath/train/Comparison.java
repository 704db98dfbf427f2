package org.unitpath.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.AtomicFiles;

/**
 * The paper's experiment in one job: the same segmentation fine-tuning recipe run from several
 * initialisations (pretrained S, torchvision weights, random), each in its own folder, then one
 * table (CSV, JSON) and one page of evaluation curves (HTML with inline SVG) comparing them.
 * Arms that already finished are read back, unfinished ones resume from their checkpoints.
 */
public final class Comparison {
    private static final Logger log = LoggerFactory.getLogger(Comparison.class);
    public static final String CSV = "comparison.csv";
    public static final String JSON_FILE = "comparison.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String HTML = "comparison.html";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final List<String> CHARTED = List.of("aji", "pq", "dice", "ap");
    private static final Set<String> TABLED = Set.of("dice", "aji", "aji_plus", "dq", "sq", "pq", "f1", "ap", "ap50");

    /** One initialisation: its name (the folder under the comparison) and its settings. */
    public record Arm(String name, String weights, SegFinetuneSettings settings, String configYaml) {
        public Arm {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--init name '" + name + "' must be letters, digits, '_', '.' or '-'");
            }
        }
    }

    /** One arm's outcome: the best evaluation and the evaluation curve (iteration, metrics). */
    public record Outcome(String name, String weights, long bestIteration, Map<String, Double> best,
            List<Map<String, Double>> curve) {}

    private Comparison() {}

    /** Runs (or resumes) every arm in turn; empty when a stop was requested before all finished. */
    public static List<Outcome> run(List<Arm> arms) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (Arm a : arms) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("--init name '" + a.name() + "' is given twice");
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (Arm a : arms) {
            Path dir = a.settings().outputDir();
            boolean resume = !new Checkpoints(dir, 1).list().isEmpty();
            log.info("{} arm '{}' from {} in {}", resume ? "resuming" : "starting", a.name(),
                    a.weights().isEmpty() ? "random initialisation" : a.weights(), dir);
            SegFinetuner.Result r = new SegFinetuner(a.settings(), a.configYaml()).run(resume);
            if (r.interrupted()) {
                return List.of();
            }
            out.add(new Outcome(a.name(), a.weights(), r.bestIteration(), r.bestMetrics(), curve(MetricsLog.read(dir))));
        }
        return out;
    }

    private static List<Map<String, Double>> curve(List<Map<String, Double>> records) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (Map<String, Double> r : records) {
            Map<String, Double> point = new LinkedHashMap<>();
            r.forEach((k, v) -> {
                if (k.startsWith("eval_")) {
                    point.put(k.substring(5), v);
                }
            });
            if (!point.isEmpty()) {
                point.put("iter", r.get("iter"));
                out.add(point);
            }
        }
        return out;
    }

    /** Metric keys in the order of the first arm that has them. */
    static List<String> metricKeys(List<Outcome> outcomes) {
        Set<String> keys = new LinkedHashSet<>();
        outcomes.forEach(o -> keys.addAll(o.best().keySet()));
        return List.copyOf(keys);
    }

    /** Writes comparison.csv, comparison.json and comparison.html into {@code dir}. */
    public static void write(Path dir, List<Outcome> outcomes, String bestMetric) throws IOException {
        Files.createDirectories(dir);
        List<String> keys = metricKeys(outcomes);
        StringBuilder csv = new StringBuilder("init,weights,best_iteration");
        keys.forEach(k -> csv.append(',').append(k));
        csv.append('\n');
        ObjectNode json = JSON.createObjectNode().put("chosen_by", bestMetric);
        ArrayNode runs = json.putArray("runs");
        for (Outcome o : outcomes) {
            csv.append(o.name()).append(',').append(csvField(o.weights())).append(',').append(o.bestIteration());
            ObjectNode run = runs.addObject().put("init", o.name()).put("weights", o.weights()).put("best_iteration", o.bestIteration());
            for (String k : keys) {
                double v = o.best().getOrDefault(k, Double.NaN);
                csv.append(',').append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "nan");
                if (Double.isFinite(v)) {
                    run.put(k, v);
                } else {
                    run.putNull(k);
                }
            }
            csv.append('\n');
        }
        AtomicFiles.write(dir.resolve(CSV), csv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        AtomicFiles.write(dir.resolve(HTML), html(outcomes, keys, bestMetric).getBytes(StandardCharsets.UTF_8));
    }

    /** The readable table: one row per initialisation, the headline metrics as columns (every metric is in the files). */
    public static String table(List<Outcome> outcomes) {
        List<String> keys = metricKeys(outcomes).stream().filter(TABLED::contains).toList();
        int width = Math.max(4, outcomes.stream().mapToInt(o -> o.name().length()).max().orElse(4));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %9s", "init", "best_iter"));
        keys.forEach(k -> sb.append(String.format(Locale.ROOT, " %8s", k)));
        sb.append('\n');
        for (Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s %9d", o.name(), o.bestIteration()));
            keys.forEach(k -> sb.append(String.format(Locale.ROOT, " %8.4f", o.best().getOrDefault(k, Double.NaN))));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String html(List<Outcome> outcomes, List<String> keys, String bestMetric) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>unitpath comparison</title>\n<style>").append(HtmlReport.CSS).append("</style>\n</head>\n<body>\n")
                .append("<header><h1>unitpath comparison of initialisations</h1><p class=\"sub\">Best evaluation of each run, ")
                .append("chosen by <code>").append(Html.escape(bestMetric)).append("</code>.</p></header>\n")
                .append("<table class=\"latest\"><thead><tr><th>init</th><th>weights</th><th>best iteration</th>");
        keys.forEach(k -> h.append("<th>").append(Html.escape(k)).append("</th>"));
        h.append("</tr></thead><tbody>");
        for (Outcome o : outcomes) {
            h.append("<tr><td>").append(Html.escape(o.name())).append("</td><td><code>")
                    .append(Html.escape(o.weights().isEmpty() ? "(random)" : o.weights())).append("</code></td><td>")
                    .append(o.bestIteration()).append("</td>");
            keys.forEach(k -> h.append("<td>").append(Progress.number(o.best().getOrDefault(k, Double.NaN))).append("</td>"));
            h.append("</tr>");
        }
        h.append("</tbody></table>\n<h2>Evaluation during fine-tuning</h2>\n");
        long x1 = outcomes.stream().flatMap(o -> o.curve().stream()).mapToLong(p -> p.get("iter").longValue()).max().orElse(1);
        for (String metric : CHARTED) {
            if (!keys.contains(metric)) {
                continue;
            }
            List<SvgChart.Series> series = new ArrayList<>();
            for (Outcome o : outcomes) {
                List<Map<String, Double>> points = o.curve().stream().filter(p -> p.containsKey(metric)).toList();
                series.add(new SvgChart.Series(o.name(), points.stream().mapToLong(p -> p.get("iter").longValue()).toArray(),
                        points.stream().mapToDouble(p -> p.get(metric)).toArray()));
            }
            h.append("<figure class=\"chart\"><figcaption>").append(Html.escape(metric)).append("</figcaption>")
                    .append(SvgChart.render(metric, series, 0, x1, false)).append("<ul class=\"legend\">");
            for (int k = 0; k < series.size(); k++) {
                h.append("<li><span class=\"swatch\" style=\"background:").append(SvgChart.PALETTE[k % SvgChart.PALETTE.length])
                        .append("\"></span>").append(Html.escape(series.get(k).name())).append("</li>");
            }
            h.append("</ul></figure>\n");
        }
        return h.append("</body>\n</html>\n").toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
