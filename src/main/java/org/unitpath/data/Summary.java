package org.unitpath.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Mean, spread and quantiles of a measured statistic, as written to stats.json. */
public record Summary(long n, double mean, double std, double min, double p10, double p50, double p90, double max) {
    public static Summary of(double[] values) {
        if (values.length == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double sq = 0;
        for (double x : v) {
            sq += (x - mean) * (x - mean);
        }
        return new Summary(v.length, mean, Math.sqrt(sq / v.length), v[0], q(v, 0.1), q(v, 0.5), q(v, 0.9), v[v.length - 1]);
    }

    private static double q(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int i = (int) pos;
        double f = pos - i;
        return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
    }

    /** Rounded values for JSON (4 significant decimals are plenty for statistics). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("mean", round(mean));
        m.put("std", round(std));
        m.put("min", round(min));
        m.put("p10", round(p10));
        m.put("p50", round(p50));
        m.put("p90", round(p90));
        m.put("max", round(max));
        return m;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }
}
