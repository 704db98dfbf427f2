package org.unitpath.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * comparison.md: the comparison as Markdown tables ready for a README or a report: per
 * initialisation the headline metrics as mean ± std over seeds at the validation-chosen and the
 * last evaluation, then AJI and PQ at every evaluated iteration, which shows early budgets too.
 */
final class ComparisonMarkdown {
    private static final List<String> HEADLINE = List.of("aji", "pq", "dice", "ap");
    private static final List<String> CURVED = List.of("aji", "pq");

    private ComparisonMarkdown() {}

    static String render(List<Comparison.Outcome> outcomes, String metricsOn) {
        List<String> keys = HEADLINE.stream().filter(Comparison.metricKeys(outcomes)::contains).toList();
        StringBuilder md = new StringBuilder("Metrics on the ").append(metricsOn)
                .append(" images, mean ± sample std over seeds (n = runs).\n\n| init | n | at | iteration |");
        keys.forEach(k -> md.append(' ').append(k).append(" |"));
        md.append(" training min |\n|---|---|---|---|").append("---|".repeat(keys.size())).append("---|\n");
        Comparison.summary(outcomes).forEach((name, byAt) -> {
            List<Comparison.Outcome> runs = outcomes.stream().filter(o -> o.name().equals(name)).toList();
            byAt.forEach((at, stats) -> {
                md.append("| ").append(name).append(" | ").append(runs.size()).append(" | ").append(at).append(" | ")
                        .append(iterations(runs, at)).append(" |");
                keys.forEach(k -> md.append(' ').append(meanStd(stats.get(k))).append(" |"));
                double[] minutes = runs.stream().mapToDouble(o -> o.trainSeconds() / 60).toArray();
                md.append(' ').append(meanStd(Comparison.Stat.of(minutes), "%.1f")).append(" |\n");
            });
        });
        for (String metric : CURVED) {
            if (keys.contains(metric)) {
                curveTable(md, outcomes, metric);
            }
        }
        return md.toString();
    }

    /** Rows = initialisations, columns = evaluated iterations, cells = mean ± std of {@code metric}. */
    private static void curveTable(StringBuilder md, List<Comparison.Outcome> outcomes, String metric) {
        TreeSet<Long> iters = new TreeSet<>();
        outcomes.forEach(o -> o.curve().forEach(p -> iters.add(p.get("iter").longValue())));
        md.append("\n").append(metric).append(" by iteration:\n\n| init |");
        iters.forEach(i -> md.append(' ').append(i).append(" |"));
        md.append("\n|---|").append("---|".repeat(iters.size())).append('\n');
        Map<String, List<Comparison.Outcome>> byName = new LinkedHashMap<>();
        outcomes.forEach(o -> byName.computeIfAbsent(o.name(), n -> new ArrayList<>()).add(o));
        byName.forEach((name, runs) -> {
            md.append("| ").append(name).append(" |");
            for (long it : iters) {
                double[] v = runs.stream().mapToDouble(o -> o.curve().stream().filter(p -> p.get("iter").longValue() == it)
                        .mapToDouble(p -> p.getOrDefault(metric, Double.NaN)).findFirst().orElse(Double.NaN)).toArray();
                md.append(' ').append(meanStd(Comparison.Stat.of(v))).append(" |");
            }
            md.append('\n');
        });
    }

    private static String iterations(List<Comparison.Outcome> runs, String at) {
        return String.join(", ", runs.stream().map(o -> Long.toString(o.iteration(at))).toList());
    }

    private static String meanStd(Comparison.Stat s) {
        return meanStd(s, "%.4f");
    }

    private static String meanStd(Comparison.Stat s, String format) {
        String mean = String.format(Locale.ROOT, format, s.mean());
        return Double.isNaN(s.std()) ? mean : mean + " ± " + String.format(Locale.ROOT, format, s.std());
    }
}
