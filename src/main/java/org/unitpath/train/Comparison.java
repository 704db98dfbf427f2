package org.unitpath.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.AtomicFiles;
import org.unitpath.report.Html;
import org.unitpath.report.HtmlReport;
import org.unitpath.report.MetricsLog;
import org.unitpath.report.Progress;
import org.unitpath.report.SvgChart;

/**
 * The paper's experiment in one job: the same segmentation fine-tuning recipe run from several
 * initialisations (pretrained S, torchvision weights, random), each with one or more training
 * seeds in its own folder, then one table (CSV, JSON) with every run and the mean and sample
 * standard deviation over seeds, and one page of evaluation curves (HTML with inline SVG).
 * Runs that already finished are read back, unfinished ones resume from their checkpoints.
 */
public final class Comparison {
    private static final Logger log = LoggerFactory.getLogger(Comparison.class);
    public static final String CSV = "comparison.csv";
    public static final String JSON_FILE = "comparison.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String HTML = "comparison.html";
    public static final String MARKDOWN = "comparison.md";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final List<String> CHARTED = List.of("aji", "pq", "dice", "ap");
    private static final Set<String> TABLED = Set.of("dice", "aji", "aji_plus", "dq", "sq", "pq", "f1", "ap", "ap50");
    /** The two rows of every run: the validation-chosen evaluation and the last one. */
    private static final List<String> AT = List.of("best", "last");

    /** One run: the initialisation's name (its folder under the comparison), its weights and settings (with the seed). */
    public record Arm(String name, String weights, SegFinetuneSettings settings, String configYaml) {
        public Arm {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--init name '" + name + "' must be letters, digits, '_', '.' or '-'");
            }
        }
    }

    /**
     * One run's outcome: the evaluation chosen on validation ({@code chosenBy}; null when none was)
     * and the last one, the evaluation curve (iteration and the reported set's metrics) and the
     * run's training time in seconds over all its sessions (NaN when unknown).
     */
    public record Outcome(String name, String weights, long seed, String chosenBy, ModelSelection.Point chosen,
            ModelSelection.Point last, List<Map<String, Double>> curve, double trainSeconds) {
        /** The reported metrics at "best" or "last": on the test images, or on validation when the run has no test set. */
        public Map<String, Double> at(String which) {
            ModelSelection.Point p = which.equals("last") ? last : chosen;
            return p == null ? Map.of() : p.test().isEmpty() ? p.val() : p.test();
        }

        long iteration(String which) {
            ModelSelection.Point p = which.equals("last") ? last : chosen;
            return p == null ? -1 : p.iteration();
        }
    }

    private Comparison() {}

    /** Runs (or resumes) every arm in turn; empty when a stop was requested before all finished. */
    public static List<Outcome> run(List<Arm> arms) throws IOException {
        Set<String> runs = new LinkedHashSet<>();
        for (Arm a : arms) {
            if (!runs.add(a.name() + "@" + a.settings().seed())) {
                throw new IllegalArgumentException("--init name '" + a.name() + "' is given twice");
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (Arm a : arms) {
            Path dir = a.settings().outputDir();
            boolean resume = !new Checkpoints(dir, 1).list().isEmpty();
            log.info("{} arm '{}' (seed {}) from {} in {}", resume ? "resuming" : "starting", a.name(), a.settings().seed(),
                    a.weights().isEmpty() ? "random initialisation" : a.weights(), dir);
            SegFinetuner.Result r = new SegFinetuner(a.settings(), a.configYaml()).run(resume);
            if (r.interrupted()) {
                return List.of();
            }
            String prefix = a.settings().testJson() == null ? "val_" : "test_";
            List<Map<String, Double>> records = MetricsLog.read(dir);
            double seconds = records.isEmpty() ? Double.NaN : records.get(records.size() - 1).getOrDefault("time", Double.NaN);
            out.add(new Outcome(a.name(), a.weights(), a.settings().seed(), r.chosenBy(), r.chosen(), r.last(),
                    curve(records, prefix), seconds));
        }
        return out;
    }

    private static List<Map<String, Double>> curve(List<Map<String, Double>> records, String prefix) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (Map<String, Double> r : records) {
            Map<String, Double> point = new LinkedHashMap<>();
            r.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    point.put(k.substring(prefix.length()), v);
                }
            });
            if (!point.isEmpty()) {
                point.put("iter", r.get("iter"));
                out.add(point);
            }
        }
        return out;
    }

    /** Metric keys in the order of the first run that has them. */
    static List<String> metricKeys(List<Outcome> outcomes) {
        Set<String> keys = new LinkedHashSet<>();
        outcomes.forEach(o -> keys.addAll(o.at("last").keySet()));
        return List.copyOf(keys);
    }

    /** Mean and sample standard deviation (n - 1; NaN for one value) of one metric over an initialisation's seeds. */
    public record Stat(double mean, double std) {
        static Stat of(double[] v) {
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            return new Stat(mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN);
        }
    }

    /** Per initialisation (in order), per "best"/"last", per metric: the statistics over its seeds. */
    public static Map<String, Map<String, Map<String, Stat>>> summary(List<Outcome> outcomes) {
        Map<String, Map<String, Map<String, Stat>>> out = new LinkedHashMap<>();
        List<String> keys = metricKeys(outcomes);
        for (String name : names(outcomes)) {
            List<Outcome> runs = outcomes.stream().filter(o -> o.name().equals(name)).toList();
            Map<String, Map<String, Stat>> byAt = new LinkedHashMap<>();
            for (String at : AT) {
                Map<String, Stat> stats = new LinkedHashMap<>();
                keys.forEach(k -> stats.put(k, Stat.of(runs.stream().mapToDouble(o -> o.at(at).getOrDefault(k, Double.NaN)).toArray())));
                byAt.put(at, stats);
            }
            out.put(name, byAt);
        }
        return out;
    }

    private static List<String> names(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::name).distinct().toList();
    }

    /**
     * Writes comparison.csv (columns init, weights, seed, at, iteration and the metrics: two rows per
     * run, at "best" and "last", then per initialisation rows with seed "mean" and "std"),
     * comparison.json, comparison.html and comparison.md into {@code dir}.
     */
    public static void write(Path dir, List<Outcome> outcomes) throws IOException {
        Files.createDirectories(dir);
        List<String> keys = metricKeys(outcomes);
        Map<String, Map<String, Map<String, Stat>>> summary = summary(outcomes);
        StringBuilder csv = new StringBuilder("init,weights,seed,at,iteration");
        keys.forEach(k -> csv.append(',').append(k));
        csv.append('\n');
        ObjectNode json = JSON.createObjectNode().put("chosen_by", outcomes.get(0).chosenBy())
                .put("metrics_on", metricsOn(outcomes)).put("seeds", outcomes.stream().mapToLong(Outcome::seed).distinct().count());
        ArrayNode runs = json.putArray("runs");
        for (Outcome o : outcomes) {
            ObjectNode run = runs.addObject().put("init", o.name()).put("weights", o.weights()).put("seed", o.seed());
            numbers(run, List.of("train_seconds"), k -> o.trainSeconds());
            for (String at : AT) {
                row(csv, o.name(), o.weights(), Long.toString(o.seed()), at, Long.toString(o.iteration(at)), keys, o.at(at)::get);
                run.put(at + "_iteration", o.iteration(at));
                numbers(run.putObject(at), keys, o.at(at)::get);
            }
        }
        ArrayNode sums = json.putArray("summary");
        summary.forEach((name, byAt) -> {
            String weights = outcomes.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().weights();
            ObjectNode sum = sums.addObject().put("init", name).put("weights", weights)
                    .put("n", outcomes.stream().filter(o -> o.name().equals(name)).count());
            for (String stat : List.of("mean", "std")) {
                byAt.forEach((at, stats) -> row(csv, name, weights, stat, at, "", keys,
                        k -> stat.equals("mean") ? stats.get(k).mean() : stats.get(k).std()));
            }
            byAt.forEach((at, stats) -> {
                ObjectNode node = sum.putObject(at);
                stats.forEach((k, st) -> {
                    numbers(node.putObject(k), List.of("mean", "std"), m -> m.equals("mean") ? st.mean() : st.std());
                });
            });
        });
        AtomicFiles.write(dir.resolve(CSV), csv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        AtomicFiles.write(dir.resolve(HTML), html(outcomes, keys, summary).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(MARKDOWN), ComparisonMarkdown.render(outcomes, metricsOn(outcomes)).getBytes(StandardCharsets.UTF_8));
    }

    /** "test", or "validation" when the runs have no test set. */
    private static String metricsOn(List<Outcome> outcomes) {
        return outcomes.stream().anyMatch(o -> o.last() != null && !o.last().test().isEmpty()) ? "test" : "validation";
    }

    private static void row(StringBuilder csv, String name, String weights, String seed, String at, String iteration,
            List<String> keys, Function<String, Double> value) {
        csv.append(name).append(',').append(csvField(weights)).append(',').append(seed).append(',').append(at).append(',')
                .append(iteration);
        for (String k : keys) {
            Double v = value.apply(k);
            csv.append(',').append(v != null && Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "nan");
        }
        csv.append('\n');
    }

    private static void numbers(ObjectNode node, List<String> keys, Function<String, Double> value) {
        for (String k : keys) {
            Double v = value.apply(k);
            if (v != null && Double.isFinite(v)) {
                node.put(k, v);
            } else {
                node.putNull(k);
            }
        }
    }

    /**
     * The readable table: the headline metrics of every run at its validation-chosen ("best") and
     * last evaluation, then, with several seeds, "mean ± std" rows per initialisation.
     */
    public static String table(List<Outcome> outcomes) {
        List<String> keys = metricKeys(outcomes).stream().filter(TABLED::contains).toList();
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("init", "seed", "at", "iter"));
        head.addAll(keys);
        rows.add(head);
        for (Outcome o : outcomes) {
            for (String at : AT) {
                List<String> r = new ArrayList<>(List.of(o.name(), Long.toString(o.seed()), at, Long.toString(o.iteration(at))));
                keys.forEach(k -> r.add(String.format(Locale.ROOT, "%.4f", o.at(at).getOrDefault(k, Double.NaN))));
                rows.add(r);
            }
        }
        if (outcomes.stream().mapToLong(Outcome::seed).distinct().count() > 1) {
            summary(outcomes).forEach((name, byAt) -> byAt.forEach((at, stats) -> {
                List<String> r = new ArrayList<>(List.of(name, "mean±std", at, ""));
                keys.forEach(k -> r.add(meanStd(stats.get(k))));
                rows.add(r);
            }));
        }
        int[] width = new int[head.size()];
        rows.forEach(r -> {
            for (int c = 0; c < r.size(); c++) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        });
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            for (int c = 0; c < r.size(); c++) {
                sb.append(c == 0 ? "" : " ").append(String.format(Locale.ROOT, c == 0 ? "%-" + width[c] + "s" : "%" + width[c] + "s",
                        r.get(c)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String meanStd(Stat s) {
        return String.format(Locale.ROOT, "%.4f±%.4f", s.mean(), s.std());
    }

    private static String html(List<Outcome> outcomes, List<String> keys, Map<String, Map<String, Map<String, Stat>>> summary) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>unitpath comparison</title>\n<style>").append(HtmlReport.CSS).append("</style>\n</head>\n<body>\n")
                .append("<header><h1>unitpath comparison of initialisations</h1><p class=\"sub\">Metrics on the ")
                .append(metricsOn(outcomes)).append(" images at the evaluation chosen by <code>")
                .append(Html.escape(outcomes.get(0).chosenBy())).append("</code> (best) and at the last one; mean ± sample ")
                .append("standard deviation over seeds.</p></header>\n<table class=\"latest\"><thead><tr><th>init</th><th>at</th>");
        keys.forEach(k -> h.append("<th>").append(Html.escape(k)).append("</th>"));
        h.append("</tr></thead><tbody>");
        summary.forEach((name, byAt) -> byAt.forEach((at, stats) -> {
            h.append("<tr><td>").append(Html.escape(name)).append("</td><td>").append(at).append("</td>");
            keys.forEach(k -> h.append("<td>").append(Html.escape(meanStd(stats.get(k)))).append("</td>"));
            h.append("</tr>");
        }));
        h.append("</tbody></table>\n<h2>Runs</h2>\n<table class=\"latest\"><thead><tr><th>init</th><th>weights</th><th>seed</th>")
                .append("<th>at</th><th>iteration</th>");
        keys.forEach(k -> h.append("<th>").append(Html.escape(k)).append("</th>"));
        h.append("</tr></thead><tbody>");
        for (Outcome o : outcomes) {
            for (String at : AT) {
                h.append("<tr><td>").append(Html.escape(o.name())).append("</td><td><code>")
                        .append(Html.escape(o.weights().isEmpty() ? "(random)" : o.weights())).append("</code></td><td>")
                        .append(o.seed()).append("</td><td>").append(at).append("</td><td>").append(o.iteration(at)).append("</td>");
                keys.forEach(k -> h.append("<td>").append(Progress.number(o.at(at).getOrDefault(k, Double.NaN))).append("</td>"));
                h.append("</tr>");
            }
        }
        h.append("</tbody></table>\n<h2>Evaluation during fine-tuning</h2>\n");
        boolean seeds = outcomes.stream().mapToLong(Outcome::seed).distinct().count() > 1;
        long x1 = outcomes.stream().flatMap(o -> o.curve().stream()).mapToLong(p -> p.get("iter").longValue()).max().orElse(1);
        for (String metric : CHARTED) {
            if (!keys.contains(metric)) {
                continue;
            }
            List<SvgChart.Series> series = new ArrayList<>();
            for (Outcome o : outcomes) {
                List<Map<String, Double>> points = o.curve().stream().filter(p -> p.containsKey(metric)).toList();
                series.add(new SvgChart.Series(seeds ? o.name() + " seed " + o.seed() : o.name(),
                        points.stream().mapToLong(p -> p.get("iter").longValue()).toArray(),
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
