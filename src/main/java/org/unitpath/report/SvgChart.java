package org.unitpath.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * An inline SVG line chart of metric series against the iteration, written as polyglot markup
 * (well-formed XML that HTML5 parsers read as is). Absent values are bridged; NaN or infinite
 * values break the line, so a divergence shows as a gap instead of a spike to nowhere.
 */
public final class SvgChart {
    public static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
        "#ff9da7", "#9c755f", "#bab0ac"};
    static final int WIDTH = 760;
    static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int BOTTOM = 36;
    private static final int MARKERS_BELOW = 60;

    /** One line: iterations ascending, values NaN where the line breaks. */
    public record Series(String name, long[] iters, double[] values) {}

    private SvgChart() {}

    /**
     * The chart of {@code series} over iterations [{@code x0}, {@code x1}]; {@code logY} is
     * honoured only when every finite value is positive.
     */
    public static String render(String label, List<Series> series, long x0, long x1, boolean logY) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"plot\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
                WIDTH, HEIGHT, Html.escape(label)));
        if (lo > hi) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"empty\">no finite values</text></svg>",
                    WIDTH / 2, HEIGHT / 2));
            return svg.toString();
        }
        boolean log = logY && lo > 0;
        Axis y = log ? Axis.log(lo, hi) : Axis.linear(lo, hi);
        Axis x = Axis.linear(x0, Math.max(x1, x0 + 1));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\"/>",
                LEFT, TOP, plotW, plotH));
        for (int i = 0; i < y.ticks.length; i++) {
            double py = TOP + plotH * (1 - y.fraction(y.ticks[i]));
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>",
                    LEFT, py, LEFT + plotW, py));
            svg.append(String.format(Locale.ROOT, "<text class=\"ytick\" x=\"%d\" y=\"%.1f\">%s</text>", LEFT - 6, py + 4,
                    Html.escape(y.labels[i])));
        }
        for (int i = 0; i < x.ticks.length; i++) {
            double px = LEFT + plotW * x.fraction(x.ticks[i]);
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\"/>",
                    px, TOP, px, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text class=\"xtick\" x=\"%.1f\" y=\"%.0f\">%s</text>", px,
                    TOP + plotH + 15, Html.escape(iterLabel(x.ticks[i]))));
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"xlabel\" x=\"%.0f\" y=\"%d\">iteration%s</text>",
                LEFT + plotW / 2, HEIGHT - 4, log ? " (values on a log scale)" : ""));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = PALETTE[k % PALETTE.length];
            StringBuilder d = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            boolean markers = s.values().length <= MARKERS_BELOW;
            List<int[]> runs = runs(s.values());
            for (int[] run : runs) {
                List<Integer> keep = thin(s, run[0], run[1], x, plotW);
                for (int j = 0; j < keep.size(); j++) {
                    int i = keep.get(j);
                    double px = LEFT + plotW * x.fraction(s.iters()[i]);
                    double py = TOP + plotH * (1 - y.fraction(s.values()[i]));
                    d.append(j == 0 ? 'M' : 'L').append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                    if (markers || run[1] - run[0] == 1) {
                        dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>", px, py));
                    }
                }
            }
            svg.append("<g class=\"series\" stroke=\"").append(colour).append("\" fill=\"").append(colour).append("\">");
            svg.append("<title>").append(Html.escape(s.name())).append("</title>");
            if (d.length() > 0) {
                svg.append("<path fill=\"none\" d=\"").append(d).append("\"/>");
            }
            svg.append(dots).append("</g>");
            nonFinite(svg, s, x, plotW, TOP + plotH);
        }
        return svg.append("</svg>").toString();
    }

    /** A red tick on the x axis under each iteration (one per pixel column) whose value is NaN or infinite. */
    private static void nonFinite(StringBuilder svg, Series s, Axis x, double plotW, double bottom) {
        TreeSet<Long> columns = new TreeSet<>();
        for (int i = 0; i < s.values().length; i++) {
            if (!Double.isFinite(s.values()[i])) {
                columns.add(Math.round(plotW * x.fraction(s.iters()[i])));
            }
        }
        if (columns.isEmpty()) {
            return;
        }
        svg.append("<g class=\"nonfinite\"><title>").append(Html.escape(s.name())).append(": NaN or infinite</title>");
        for (long c : columns) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.0f\" x2=\"%d\" y2=\"%.0f\"/>", LEFT + c, bottom - 8,
                    LEFT + c, bottom));
        }
        svg.append("</g>");
    }

    /** Index ranges [start, end) of consecutive finite values. */
    static List<int[]> runs(double[] values) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= values.length; i++) {
            boolean ok = i < values.length && Double.isFinite(values[i]);
            if (ok && start < 0) {
                start = i;
            } else if (!ok && start >= 0) {
                out.add(new int[] {start, i});
                start = -1;
            }
        }
        return out;
    }

    /** The points of a run worth drawing: per pixel column its first, lowest, highest and last (spikes survive). */
    private static List<Integer> thin(Series s, int from, int to, Axis x, double plotW) {
        TreeSet<Integer> keep = new TreeSet<>();
        int i = from;
        while (i < to) {
            long column = (long) Math.floor(plotW * x.fraction(s.iters()[i]));
            int first = i;
            int min = i;
            int max = i;
            while (i < to && (long) Math.floor(plotW * x.fraction(s.iters()[i])) == column) {
                if (s.values()[i] < s.values()[min]) {
                    min = i;
                }
                if (s.values()[i] > s.values()[max]) {
                    max = i;
                }
                i++;
            }
            keep.add(first);
            keep.add(min);
            keep.add(max);
            keep.add(i - 1);
        }
        return new ArrayList<>(keep);
    }

    /** 0, 500, 2.5k, 120k, 1.2M. */
    static String iterLabel(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(String.format(Locale.ROOT, "%.2f", v / 1e6)) + "M";
        }
        if (a >= 1e3) {
            return trim(String.format(Locale.ROOT, "%.2f", v / 1e3)) + "k";
        }
        return trim(String.format(Locale.ROOT, "%.2f", v));
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** An axis: its range (in log10 units when logarithmic), tick values and their labels. */
    static final class Axis {
        final boolean log;
        final double min;
        final double max;
        final double[] ticks;
        final String[] labels;

        private Axis(boolean log, double min, double max, double[] ticks, String[] labels) {
            this.log = log;
            this.min = min;
            this.max = max;
            this.ticks = ticks;
            this.labels = labels;
        }

        /** Where {@code v} lies along the axis, 0 at its start and 1 at its end. */
        double fraction(double v) {
            double t = log ? Math.log10(v) : v;
            return (t - min) / (max - min);
        }

        /** About five "nice" steps (1, 2 or 5 x 10^k) covering [lo, hi], the range rounded out to them. */
        static Axis linear(double lo, double hi) {
            if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
                double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                lo -= pad;
                hi += pad;
            }
            double raw = (hi - lo) / 5;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / mag;
            double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
            double start = Math.floor(lo / step + 1e-9) * step;
            double end = Math.ceil(hi / step - 1e-9) * step;
            int n = (int) Math.round((end - start) / step) + 1;
            double[] ticks = new double[n];
            String[] labels = new String[n];
            int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
            for (int i = 0; i < n; i++) {
                ticks[i] = start + i * step;
                double a = Math.abs(ticks[i]);
                labels[i] = a != 0 && (a >= 1e5 || decimals > 4) ? String.format(Locale.ROOT, "%.2g", ticks[i])
                        : String.format(Locale.ROOT, "%." + decimals + "f", ticks[i] + 0.0);
            }
            return new Axis(false, start, end, ticks, labels);
        }

        /** Decades covering [lo, hi] (both positive); within two decades also the 2s and 5s. */
        static Axis log(double lo, double hi) {
            int d0 = (int) Math.floor(Math.log10(lo) + 1e-9);
            int d1 = (int) Math.ceil(Math.log10(hi) - 1e-9);
            if (d1 == d0) {
                d1++;
            }
            List<Double> ticks = new ArrayList<>();
            for (int d = d0; d <= d1; d++) {
                ticks.add(Math.pow(10, d));
                if (d1 - d0 <= 2 && d < d1) {
                    ticks.add(2 * Math.pow(10, d));
                    ticks.add(5 * Math.pow(10, d));
                }
            }
            double[] t = ticks.stream().mapToDouble(Double::doubleValue).toArray();
            String[] labels = new String[t.length];
            for (int i = 0; i < t.length; i++) {
                labels[i] = t[i] >= 1e-3 && t[i] < 1e5 ? trim(String.format(Locale.ROOT, "%.3f", t[i]))
                        : String.format(Locale.ROOT, "%.0e", t[i]);
            }
            return new Axis(true, d0, d1, t, labels);
        }
    }
}
