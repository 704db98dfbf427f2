package org.unitpath.masks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MaskGeneratorTest {
    private static final MaskConfig CFG = MaskConfig.defaults();

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    @Test
    void defaultStatisticsFallInThePapersRanges() {
        for (Distribution d : Distribution.values()) {
            MaskGenerator g = new MaskGenerator(CFG.withDistribution(d), 7);
            double[] perTile = new double[0];
            double[] fraction = new double[0];
            int scattered = 0;
            int arranged = 0;
            for (int i = 0; i < 12; i++) {
                CanvasStats s = CanvasStats.of(g.generate(i), CFG.tile());
                perTile = concat(perTile, Arrays.stream(s.nucleiPerTile()).asDoubleStream().toArray());
                fraction = concat(fraction, s.nuclearFraction());
                for (int c : s.classes()) {
                    if (c == MaskCanvas.SCATTERED) {
                        scattered++;
                    } else {
                        arranged++;
                    }
                }
            }
            double n = mean(perTile);
            double f = mean(fraction);
            assertTrue(n >= 7 && n <= 18, d + ": mean nuclei per tile " + n);
            assertTrue(f >= 0.10 && f <= 0.25, d + ": mean nuclear fraction " + f);
            double share = arranged / (double) (arranged + scattered);
            assertTrue(share > 0.3 && share < 0.7, d + ": arranged share " + share);
        }
    }

    @Test
    void sizesFollowTheConfiguredRanges() {
        MaskGenerator g = new MaskGenerator(CFG, 3);
        CanvasStats s = CanvasStats.of(g.generate(0), CFG.tile());
        double maxArranged = Math.PI / 4 * CFG.arrangedMajor().max() * CFG.arrangedMinor().max() * 1.6;
        for (int i = 0; i < s.area().length; i++) {
            assertTrue(s.area()[i] >= 25, "slivers are dropped");
            assertTrue(s.area()[i] <= maxArranged, "area " + s.area()[i] + " larger than any configured nucleus");
        }
        double spacing = mean(s.nearestDistance());
        assertTrue(spacing > 15 && spacing < 80, "mean nearest-neighbour distance " + spacing);
        MaskConfig small = new MaskConfig(512, 256, Distribution.COLON, new Range(7, 18), new Range(0.5, 0.5),
                new Range(10, 10), new Range(30, 56), new Range(9, 14), 0.0, new Range(36, 60), new Range(18, 30), 0.0,
                new Range(80, 300), 0.3, new Range(60, 170), 0.05);
        CanvasStats round = CanvasStats.of(new MaskGenerator(small.withDistribution(Distribution.RANDOM), 1).generate(0), 256);
        for (int i = 0; i < round.area().length; i++) {
            if (round.classes()[i] == MaskCanvas.SCATTERED) {
                assertTrue(round.area()[i] >= 50 && round.area()[i] <= 100, "10-px round nucleus of area " + round.area()[i]);
            }
        }
    }

    @Test
    void instanceMapIsAPartitionAndRedChannelIsItsContour() {
        MaskCanvas c = new MaskGenerator(CFG.withCanvas(512, 256), 11).generate(0);
        int size = c.size();
        int[] l = c.labels();
        boolean[] seen = new boolean[c.count() + 1];
        for (int v : l) {
            assertTrue(v >= 0 && v <= c.count());
            seen[v] = true;
        }
        for (int id = 1; id <= c.count(); id++) {
            assertTrue(seen[id], "ids are 1..K without gaps");
        }
        byte[] rgb = c.multichannel(0, 0, size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                int v = l[i];
                boolean edge = v != 0 && ((x > 0 && l[i - 1] != v) || (x < size - 1 && l[i + 1] != v)
                        || (y > 0 && l[i - size] != v) || (y < size - 1 && l[i + size] != v));
                assertEquals(edge ? 255 : 0, rgb[3 * i] & 0xff, "R at " + x + "," + y);
                int g = rgb[3 * i + 1] & 0xff;
                int b = rgb[3 * i + 2] & 0xff;
                if (v == 0) {
                    assertEquals(0, g + b);
                } else {
                    int fill = c.classOf(v) == MaskCanvas.SCATTERED ? g : b;
                    int other = c.classOf(v) == MaskCanvas.SCATTERED ? b : g;
                    assertTrue(fill >= 60 && fill <= 170 && other == 0, "texture " + fill + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void formatsConvertAsTheReleaseDoes() {
        byte[] px = {(byte) 255, 100, 0, 0, 0, (byte) 130, 0, 0, 0};
        assertArrayEquals(px.clone(), MaskFormat.MULTICHANNEL.fromMultichannel(px.clone()));
        assertArrayEquals(new byte[] {0, 100, 0, 0, 0, (byte) 130, 0, 0, 0}, MaskFormat.TWO_CHANNEL.fromMultichannel(px.clone()));
        assertArrayEquals(new byte[] {100, 100, 100, (byte) 130, (byte) 130, (byte) 130, 0, 0, 0},
                MaskFormat.GREY.fromMultichannel(px.clone()));
        byte w = (byte) 255;
        assertArrayEquals(new byte[] {w, w, w, w, w, w, 0, 0, 0}, MaskFormat.BINARY.fromMultichannel(px.clone()));
        assertEquals(MaskFormat.TWO_CHANNEL, MaskFormat.parse("2channel"));
        assertThrows(IllegalArgumentException.class, () -> MaskFormat.parse("rgb"));
    }

    @Test
    void sameSeedSameCanvasDifferentSeedDifferentCanvas() {
        MaskConfig cfg = CFG.withCanvas(512, 256);
        assertArrayEquals(new MaskGenerator(cfg, 5).generate(3).labels(), new MaskGenerator(cfg, 5).generate(3).labels());
        assertTrue(!Arrays.equals(new MaskGenerator(cfg, 5).generate(3).labels(), new MaskGenerator(cfg, 6).generate(3).labels()));
    }

    @Test
    void badConfigurationIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> CFG.withCanvas(1000, 256));
        assertThrows(IllegalArgumentException.class, () -> Range.parse("18:7"));
        assertThrows(IllegalArgumentException.class, () -> Range.parse("a:b"));
        assertEquals(new Range(7, 18), Range.parse("7:18"));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
