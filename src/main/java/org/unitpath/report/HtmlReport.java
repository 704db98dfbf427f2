package org.unitpath.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.unitpath.io.AtomicFiles;

/**
 * The run's {@code report.html}: one self-contained page (inline CSS and SVG, images as data
 * URIs, no scripts, nothing fetched) that can be mailed or archived with the run. It shows a
 * summary, one chart per metric group from {@code metrics.jsonl}, the newest sample grids from
 * {@code samples/*.png} and {@code config.yaml}. The markup is polyglot: well-formed XML that
 * HTML5 parsers read without error recovery.
 */
public final class HtmlReport {
    public static final String FILE = "report.html";
    public static final String CONFIG = "config.yaml";
    private static final Set<String> PLANNED_KEYS = Set.of("max_iter", "max_iters", "total_iter", "total_iters", "num_iters");

    /**
     * @param plannedIters iterations planned; 0 to read {@code SOLVER.MAX_ITER} (or a similar key) from config.yaml
     * @param maxGrids how many of the newest sample grids to embed
     * @param logScaleLosses loss charts on a log axis (when all their values are positive)
     */
    public record Options(long plannedIters, int maxGrids, boolean logScaleLosses) {
        public static Options defaults() {
            return new Options(0, 4, true);
        }
    }

    private HtmlReport() {}

    /** Writes {@code <outputDir>/report.html} atomically and returns its path. */
    public static Path write(Path outputDir) throws IOException {
        return write(outputDir, Options.defaults());
    }

    public static Path write(Path outputDir, Options options) throws IOException {
        Path file = outputDir.resolve(FILE);
        AtomicFiles.write(file, render(outputDir, options).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    static String render(Path dir, Options options) throws IOException {
        List<Map<String, Double>> records = MetricsLog.read(dir);
        Path configFile = dir.resolve(CONFIG);
        String config = Files.exists(configFile) ? new String(Files.readAllBytes(configFile), StandardCharsets.UTF_8) : null;
        long planned = options.plannedIters() > 0 ? options.plannedIters() : config == null ? 0 : plannedFromConfig(config);
        String name = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
                : dir.toAbsolutePath().normalize().getFileName().toString();

        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Html.escape("unitpath run " + name)).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>unitpath training run <code>").append(Html.escape(name)).append("</code></h1>")
                .append("<p class=\"sub\">report written ").append(DateTimeFormatter.ISO_INSTANT.format(Instant.now()
                        .truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)))
                .append(" from <code>").append(Html.escape(dir.toAbsolutePath().normalize().toString()))
                .append("</code></p>\n<nav><a href=\"#summary\">Summary</a> <a href=\"#charts\">Metrics</a> ")
                .append("<a href=\"#samples\">Samples</a> <a href=\"#config\">Configuration</a></nav></header>\n");
        summary(h, records, planned);
        charts(h, records, options);
        samples(h, dir, options.maxGrids());
        h.append("<section id=\"config\"><h2>Configuration</h2>\n");
        if (config == null) {
            h.append("<p class=\"none\">No config.yaml in the run directory.</p>");
        } else {
            h.append("<pre>").append(Html.escape(config)).append("</pre>");
        }
        return h.append("\n</section>\n</body>\n</html>\n").toString();
    }

    private static void summary(StringBuilder h, List<Map<String, Double>> records, long planned) {
        h.append("<section id=\"summary\"><h2>Summary</h2>\n");
        if (records.isEmpty()) {
            h.append("<p class=\"none\">No metrics logged yet.</p></section>\n");
            return;
        }
        Map<String, Double> last = records.get(records.size() - 1);
        long iter = last.get("iter").longValue();
        h.append("<table class=\"kv\">");
        String done = String.format(Locale.ROOT, "%,d", iter) + (planned > 0
                ? String.format(Locale.ROOT, " / %,d (%.1f%%)", planned, 100.0 * iter / planned) : " (planned: unknown)");
        row(h, "Iterations", done);
        Double images = last.get("images");
        row(h, "Images seen", images == null || images.isNaN() ? "unknown" : String.format(Locale.ROOT, "%,d", images.longValue()));
        Double time = last.get("time");
        row(h, "Training time", time == null || time.isNaN() ? "unknown" : Progress.duration(time));
        double speed = recentMean(records, "images_per_s");
        row(h, "Throughput (recent)", Double.isNaN(speed) ? "unknown" : String.format(Locale.ROOT, "%.1f images/s", speed));
        if (planned > iter && Double.isFinite(speed) && speed > 0 && images != null && iter > 0) {
            row(h, "Time to finish (estimate)", Progress.duration((planned - iter) * (images / iter) / speed));
        }
        row(h, "Records", String.format(Locale.ROOT, "%,d", records.size()));
        h.append("</table>\n<h3>Latest values</h3>\n<table class=\"latest\"><thead><tr><th>metric</th><th>latest</th>")
                .append("<th>at iteration</th><th>minimum</th><th>maximum</th></tr></thead><tbody>");
        for (String key : keys(records)) {
            if (MetricsLog.FIXED.contains(key)) {
                continue;
            }
            double latest = Double.NaN;
            long at = -1;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Map<String, Double> r : records) {
                Double v = r.get(key);
                if (v != null) {
                    latest = v;
                    at = r.get("iter").longValue();
                    if (Double.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            h.append("<tr><td>").append(Html.escape(key)).append("</td><td>").append(Progress.number(latest))
                    .append("</td><td>").append(at).append("</td><td>")
                    .append(min > max ? "nan" : Progress.number(min)).append("</td><td>")
                    .append(min > max ? "nan" : Progress.number(max)).append("</td></tr>");
        }
        h.append("</tbody></table>\n</section>\n");
    }

    private static void charts(StringBuilder h, List<Map<String, Double>> records, Options options) {
        h.append("<section id=\"charts\"><h2>Metrics</h2>\n");
        List<MetricGroups.Group> groups = MetricGroups.of(keys(records));
        if (groups.isEmpty()) {
            h.append("<p class=\"none\">No metrics logged yet.</p>");
        }
        long x0 = records.isEmpty() ? 0 : records.get(0).get("iter").longValue();
        long x1 = records.isEmpty() ? 1 : records.get(records.size() - 1).get("iter").longValue();
        for (MetricGroups.Group g : groups) {
            List<SvgChart.Series> series = new ArrayList<>();
            for (String key : g.keys()) {
                series.add(series(records, key));
            }
            h.append("<figure class=\"chart\" id=\"chart-").append(g.id()).append("\"><figcaption>")
                    .append(Html.escape(g.title())).append("</figcaption>")
                    .append(SvgChart.render(g.title(), series, x0, x1, g.loss() && options.logScaleLosses()))
                    .append("<ul class=\"legend\">");
            for (int k = 0; k < series.size(); k++) {
                SvgChart.Series s = series.get(k);
                double latest = s.values().length == 0 ? Double.NaN : s.values()[s.values().length - 1];
                h.append("<li><span class=\"swatch\" style=\"background:").append(SvgChart.PALETTE[k % SvgChart.PALETTE.length])
                        .append("\"></span>").append(Html.escape(s.name())).append(" <span class=\"val\">")
                        .append(Progress.number(latest)).append("</span></li>");
            }
            h.append("</ul></figure>\n");
        }
        h.append("</section>\n");
    }

    private static void samples(StringBuilder h, Path dir, int maxGrids) throws IOException {
        h.append("<section id=\"samples\"><h2>Samples</h2>\n");
        List<Path> grids = newestGrids(dir.resolve(SampleGrid.FOLDER), maxGrids);
        if (grids.isEmpty()) {
            h.append("<p class=\"none\">No sample grids yet.</p>");
        } else {
            h.append("<p class=\"sub\">Rows: real A (mask), fake B = G(A), real B, fake A = S(B). Newest first.</p>\n");
        }
        for (Path grid : grids) {
            String name = grid.getFileName().toString();
            h.append("<figure class=\"sample\"><img alt=\"").append(Html.escape(name)).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(grid))).append("\"/><figcaption>")
                    .append(Html.escape(name)).append("</figcaption></figure>\n");
        }
        h.append("</section>\n");
    }

    /** The newest PNGs in {@code folder}, by modification time then name (zero-padded iterations sort). */
    static List<Path> newestGrids(Path folder, int max) throws IOException {
        if (!Files.isDirectory(folder) || max <= 0) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> pngs = new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(".png"))
                    .filter(p -> !p.getFileName().toString().startsWith(".")).filter(Files::isRegularFile).toList());
            Map<Path, FileTime> times = new HashMap<>();
            for (Path p : pngs) {
                times.put(p, Files.getLastModifiedTime(p));
            }
            pngs.sort(Comparator.comparing((Path p) -> times.get(p)).thenComparing(p -> p.getFileName().toString()).reversed());
            return pngs.subList(0, Math.min(max, pngs.size()));
        }
    }

    private static SvgChart.Series series(List<Map<String, Double>> records, String key) {
        long[] iters = new long[records.size()];
        double[] values = new double[records.size()];
        int n = 0;
        for (Map<String, Double> r : records) {
            Double v = r.get(key);
            if (v != null) {
                iters[n] = r.get("iter").longValue();
                values[n++] = v;
            }
        }
        return new SvgChart.Series(key, Arrays.copyOf(iters, n), Arrays.copyOf(values, n));
    }

    private static Set<String> keys(List<Map<String, Double>> records) {
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Double> r : records) {
            keys.addAll(r.keySet());
        }
        return keys;
    }

    /** Mean of the finite values of {@code key} over the last tenth of the records (at least one). */
    private static double recentMean(List<Map<String, Double>> records, String key) {
        double sum = 0;
        int n = 0;
        for (int i = records.size() - Math.max(1, records.size() / 10); i < records.size(); i++) {
            Double v = records.get(i).get(key);
            if (v != null && Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** SOLVER.MAX_ITER, else the first key named like max_iter anywhere; 0 when absent or unreadable. */
    static long plannedFromConfig(String yaml) {
        try {
            JsonNode root = new YAMLMapper().readTree(yaml);
            if (root == null) {
                return 0;
            }
            JsonNode solver = root.path("SOLVER").path("MAX_ITER");
            if (solver.canConvertToLong()) {
                return solver.asLong();
            }
            return findPlanned(root);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long findPlanned(JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (PLANNED_KEYS.contains(e.getKey().toLowerCase(Locale.ROOT)) && e.getValue().canConvertToLong()) {
                    return e.getValue().asLong();
                }
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                long found = findPlanned(e.getValue());
                if (found > 0) {
                    return found;
                }
            }
        }
        return 0;
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(Html.escape(key)).append("</th><td>").append(Html.escape(value)).append("</td></tr>");
    }

    public static final String CSS = String.join("\n",
            "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:1100px;padding:0 16px 48px;color:#222;background:#fff}",
            "header{border-bottom:1px solid #ddd;margin-bottom:8px}h1{font-size:22px;margin:18px 0 4px}",
            "h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #eee;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}",
            ".sub{color:#666;margin:2px 0 8px}nav a{margin-right:14px;color:#2a5db0;text-decoration:none}nav{margin:6px 0 12px}",
            "table{border-collapse:collapse}th,td{padding:3px 10px;text-align:left;border-bottom:1px solid #f0f0f0}",
            "table.kv th{font-weight:600;color:#444}table.latest td:nth-child(n+2){font-variant-numeric:tabular-nums}",
            ".chart{display:inline-block;vertical-align:top;margin:0 16px 24px 0;width:100%;max-width:760px}",
            ".chart figcaption{font-weight:600;margin-bottom:4px}.plot{width:100%;height:auto;display:block}",
            ".plot .frame{fill:#fcfcfc;stroke:#bbb}.plot .grid{stroke:#e8e8e8}",
            ".plot text{font-size:11px;fill:#555}.plot .ytick{text-anchor:end}.plot .xtick,.plot .xlabel,.plot .empty{text-anchor:middle}",
            ".plot path{stroke-width:1.4;stroke-linejoin:round}.plot circle{stroke:none}.plot .nonfinite{stroke:#d62728;stroke-width:2}",
            ".legend{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px}",
            ".swatch{display:inline-block;width:12px;height:3px;margin:0 6px 3px 0;vertical-align:middle}",
            ".val{color:#777;font-variant-numeric:tabular-nums}",
            ".sample img{max-width:100%;height:auto;image-rendering:pixelated;border:1px solid #ddd}.sample{margin:0 0 20px}",
            "pre{background:#f6f6f6;border:1px solid #e4e4e4;padding:10px;overflow:auto;font-size:12px}",
            ".none{color:#888;font-style:italic}code{font-size:0.95em}");
}
