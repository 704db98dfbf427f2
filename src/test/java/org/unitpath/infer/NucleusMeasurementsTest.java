package org.unitpath.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.unitpath.io.RgbImage;
import org.unitpath.seg.MaskPatch;

class NucleusMeasurementsTest {
    /** Pixels whose centres lie in the ellipse with semi-axes a (along x) and b, centred on (cx, cy). */
    private static MaskPatch ellipse(double cx, double cy, double a, double b, int size) {
        boolean[] bits = new boolean[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5 - cx) / a;
                double v = (y + 0.5 - cy) / b;
                bits[y * size + x] = u * u + v * v <= 1;
            }
        }
        return Contours.solidify(new MaskPatch(0, 0, size, size, bits));
    }

    private static RgbImage uniform(int size, int r, int g, int b) {
        RgbImage img = RgbImage.blank(size, size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.set(x, y, 0, r);
                img.set(x, y, 1, g);
                img.set(x, y, 2, b);
            }
        }
        return img;
    }

    private static NucleusMeasurements measure(MaskPatch region, RgbImage pixels) {
        return NucleusMeasurements.of(region, Contours.outline(region), pixels, 0, 0);
    }

    @Test
    void discMatchesAnalyticValues() {
        double r = 20;
        NucleusMeasurements m = measure(ellipse(30, 32, r, r, 64), uniform(64, 120, 60, 160));
        assertEquals(Math.PI * r * r, m.area(), 0.01 * Math.PI * r * r, "area");
        assertEquals(2 * Math.PI * r, m.perimeter(), 0.02 * 2 * Math.PI * r, "perimeter of the outline");
        assertEquals(2 * r, m.equivalentDiameter(), 0.01 * 2 * r);
        assertTrue(m.eccentricity() < 0.05, "eccentricity " + m.eccentricity());
        assertTrue(m.solidity() > 0.98 && m.solidity() <= 1, "solidity " + m.solidity());
        assertEquals(30, m.centroidX(), 1e-9, "centroid of a symmetric disc");
        assertEquals(32, m.centroidY(), 1e-9);
        assertEquals(120, m.meanRed(), 1e-12);
        assertEquals(160, m.meanBlue(), 1e-12);
    }

    @Test
    void ellipseEccentricityAndAConcaveShapesSolidity() {
        NucleusMeasurements m = measure(ellipse(40, 40, 30, 15, 80), uniform(80, 200, 200, 200));
        assertEquals(Math.sqrt(1 - 0.25), m.eccentricity(), 0.01, "sqrt(1 - b^2/a^2)");
        assertEquals(Math.PI * 30 * 15, m.area(), 0.01 * Math.PI * 30 * 15);
        // a 20x20 square missing its 10x10 top-right quarter: the outline encloses 300 - 4/8 (four net corners
        // cut), its hull 400 minus the three cut outer corners (3/8) and the triangle (9.5,0)-(20,0)-(20,10.5)
        boolean[] bits = new boolean[400];
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                bits[y * 20 + x] = x < 10 || y >= 10;
            }
        }
        NucleusMeasurements l = measure(new MaskPatch(0, 0, 20, 20, bits), uniform(20, 0, 0, 0));
        assertEquals(300, l.area());
        assertEquals(299.5 / (400 - 0.375 - 10.5 * 10.5 / 2), l.solidity(), 1e-9);
    }

    @Test
    void colourDeconvolutionSeparatesPureStains() {
        for (double amount : new double[] {0.2, 0.6, 1.0}) {
            int[] h = stained(StainDeconvolution.HEMATOXYLIN, amount);
            double[] ch = StainDeconvolution.amounts(h[0], h[1], h[2]);
            assertEquals(amount, ch[0], 0.02, "haematoxylin of a pure haematoxylin colour");
            assertEquals(0, ch[1], 0.02, "no eosin in it");
            int[] e = stained(StainDeconvolution.EOSIN, amount);
            double[] ce = StainDeconvolution.amounts(e[0], e[1], e[2]);
            assertEquals(0, ce[0], 0.02);
            assertEquals(amount, ce[1], 0.02);
        }
        double[] white = StainDeconvolution.amounts(255, 255, 255);
        assertEquals(0, white[0], 1e-12);
        assertEquals(0, white[1], 1e-12);
        assertEquals(Math.log10(255), StainDeconvolution.opticalDensity(0), 1e-12, "black is clamped, not infinite");
        int[] h = stained(StainDeconvolution.HEMATOXYLIN, 0.5);
        NucleusMeasurements m = measure(ellipse(10, 10, 6, 6, 20), uniform(20, h[0], h[1], h[2]));
        assertEquals(0.5, m.hematoxylin(), 0.02);
        assertEquals(0, m.eosin(), 0.02);
    }

    /** The 8-bit colour of {@code amount} OD units of a unit stain vector. */
    private static int[] stained(double[] stain, double amount) {
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round(255 * Math.pow(10, -amount * stain[c]));
        }
        return rgb;
    }

    @Test
    void namedMeasurementsAddMicrometresOnlyWithAResolution() {
        NucleusMeasurements m = measure(ellipse(10, 10, 5, 5, 20), uniform(20, 90, 40, 120));
        Map<String, Double> px = m.named(7, 0.9, OptionalDouble.empty());
        assertEquals(7.0, px.get("Label id"));
        assertEquals((double) m.area(), px.get("Area px^2"));
        assertFalse(px.containsKey("Area µm^2"));
        Map<String, Double> um = m.named(7, 0.9, OptionalDouble.of(0.5));
        assertEquals(m.area() * 0.25, um.get("Area µm^2"), 1e-9);
        assertEquals(m.perimeter() * 0.5, um.get("Perimeter µm"), 1e-9);
        assertTrue(um.values().stream().allMatch(Double::isFinite));
    }

    @Test
    void regionsOutsideTheirPixelsAreRejected() {
        MaskPatch region = ellipse(10, 10, 5, 5, 20);
        Ring outline = Contours.outline(region);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NucleusMeasurements.of(region, outline, uniform(20, 0, 0, 0), 8, 0));
    }
}
