package org.unitpath.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    @Test
    void linearAxesUseNiceStepsCoveringTheData() {
        SvgChart.Axis a = SvgChart.Axis.linear(0.13, 0.87);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, a.ticks, 1e-12);
        assertEquals("0.1", a.labels[0]);
        assertEquals(0, a.fraction(0.1), 1e-12);
        assertEquals(1, a.fraction(0.9), 1e-12);
        SvgChart.Axis big = SvgChart.Axis.linear(0, 23_000);
        assertArrayEquals(new double[] {0, 5000, 10000, 15000, 20000, 25000}, big.ticks, 1e-9);
        SvgChart.Axis flat = SvgChart.Axis.linear(2, 2);
        assertTrue(flat.min < 2 && flat.max > 2, "a constant series gets a non-empty range");
    }

    @Test
    void logAxesUseDecadesAndTwosAndFivesWhenNarrow() {
        SvgChart.Axis wide = SvgChart.Axis.log(0.003, 40);
        assertArrayEquals(new double[] {1e-3, 1e-2, 1e-1, 1, 10, 100}, wide.ticks, 1e-12);
        assertEquals(List.of("0.001", "0.01", "0.1", "1", "10", "100"), List.of(wide.labels));
        SvgChart.Axis narrow = SvgChart.Axis.log(0.3, 4);
        assertArrayEquals(new double[] {0.1, 0.2, 0.5, 1, 2, 5, 10}, narrow.ticks, 1e-12);
        assertEquals("1e-05", SvgChart.Axis.log(2e-5, 1e-4).labels[0]);
        assertEquals(0.5, SvgChart.Axis.log(1, 100).fraction(10), 1e-12);
    }

    @Test
    void iterationLabelsAreCompact() {
        assertEquals("0", SvgChart.iterLabel(0));
        assertEquals("500", SvgChart.iterLabel(500));
        assertEquals("2.5k", SvgChart.iterLabel(2500));
        assertEquals("120k", SvgChart.iterLabel(120_000));
        assertEquals("1.2M", SvgChart.iterLabel(1_200_000));
    }

    @Test
    void runsSplitAtNonFiniteValues() {
        double nan = Double.NaN;
        List<int[]> runs = SvgChart.runs(new double[] {nan, 1, 2, nan, 3, Double.POSITIVE_INFINITY, 4, 5});
        assertEquals(3, runs.size());
        assertArrayEquals(new int[] {1, 3}, runs.get(0));
        assertArrayEquals(new int[] {4, 5}, runs.get(1));
        assertArrayEquals(new int[] {6, 8}, runs.get(2));
    }

    @Test
    void longSeriesAreThinnedButKeepTheirSpikes() {
        int n = 200_000;
        long[] iters = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            iters[i] = i;
            values[i] = i == 123_457 ? 50 : 1 + 0.1 * Math.sin(i / 1000.0);
        }
        String svg = SvgChart.render("loss", List.of(new SvgChart.Series("loss_G", iters, values)), 0, n - 1, false);
        Matcher m = Pattern.compile("<path fill=\"none\" d=\"([^\"]*)\"").matcher(svg);
        assertTrue(m.find());
        String d = m.group(1);
        long points = d.chars().filter(c -> c == 'L').count() + 1;
        assertTrue(points <= 4L * SvgChart.WIDTH, points + " points");
        double top = Double.MAX_VALUE;
        for (String p : d.split("[ML]")) {
            if (!p.isEmpty()) {
                top = Math.min(top, Double.parseDouble(p.split(" ")[1]));
            }
        }
        assertTrue(top < 20, "the spike reaches the top of the plot (y " + top + ")");
        assertFalse(svg.contains("<circle"), "no markers on long series");
    }

    @Test
    void logScaleFallsBackToLinearForNonPositiveValues() {
        SvgChart.Series s = new SvgChart.Series("x", new long[] {0, 1, 2}, new double[] {-1, 0.5, 2});
        assertFalse(SvgChart.render("t", List.of(s), 0, 2, true).contains("log scale"));
        SvgChart.Series p = new SvgChart.Series("x", new long[] {0, 1, 2}, new double[] {0.1, 0.5, 2});
        assertTrue(SvgChart.render("t", List.of(p), 0, 2, true).contains("log scale"));
        SvgChart.Series none = new SvgChart.Series("x", new long[] {0}, new double[] {Double.NaN});
        assertTrue(SvgChart.render("t", List.of(none), 0, 2, true).contains("no finite values"));
    }

    @Test
    void metricsAreGroupedByPrefix() {
        List<MetricGroups.Group> groups = MetricGroups.of(List.of("iter", "time", "images", "images_per_s", "loss_G",
                "loss_cycle_G", "loss_D_A", "loss_dice", "loss_S", "loss_box_reg", "loss_mask", "loss_r1", "ada_p", "lr_G",
                "swd_256", "mask_aji", "foo_a", "foo_b", "bar"));
        assertEquals(List.of("gs", "disc", "cycle", "mrcnn", "other-losses", "ada", "lr", "swd", "mask", "speed", "other-foo",
                "other-bar"), groups.stream().map(MetricGroups.Group::id).toList());
        assertEquals(List.of("loss_G", "loss_S"), groups.get(0).keys());
        assertEquals(List.of("loss_D_A", "loss_r1"), groups.get(1).keys());
        assertEquals(List.of("loss_cycle_G"), groups.get(2).keys());
        assertEquals(List.of("loss_dice"), groups.get(4).keys(), "a Dice loss is not a discriminator loss");
        assertEquals("foo_*", groups.get(10).title());
        assertEquals("bar", groups.get(11).title());
        assertTrue(groups.get(0).loss());
        assertFalse(groups.get(5).loss());
        assertEquals("other-a-b-2", MetricGroups.of(List.of("a.b_x", "a-b_y")).get(1).id());
    }
}
