package org.unitpath.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unitpath.seg.MaskPatch;

class ContoursTest {
    /** A connected blob: the union of 1-4 random ellipses around the centre of a size x size patch at (ox, oy). */
    static MaskPatch blob(Random rnd, int size, int ox, int oy) {
        boolean[] bits = new boolean[size * size];
        int parts = 1 + rnd.nextInt(4);
        for (int k = 0; k < parts; k++) {
            double cx = size / 2.0 + rnd.nextDouble() * 4 - 2;
            double cy = size / 2.0 + rnd.nextDouble() * 4 - 2;
            double a = 4 + rnd.nextDouble() * size / 4;
            double b = 4 + rnd.nextDouble() * size / 4;
            double t = rnd.nextDouble() * Math.PI;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    double u = (dx * Math.cos(t) + dy * Math.sin(t)) / a;
                    double v = (-dx * Math.sin(t) + dy * Math.cos(t)) / b;
                    bits[y * size + x] |= u * u + v * v <= 1;
                }
            }
        }
        return new MaskPatch(ox, oy, size, size, bits);
    }

    /** The ring rasterised at pixel centres over the patch's rectangle. */
    static boolean[] rasterise(Ring ring, MaskPatch frame) {
        boolean[] out = new boolean[frame.width * frame.height];
        for (int y = 0; y < frame.height; y++) {
            for (int x = 0; x < frame.width; x++) {
                out[y * frame.width + x] = ring.contains(frame.x + x + 0.5, frame.y + y + 0.5);
            }
        }
        return out;
    }

    static boolean[] within(MaskPatch m, MaskPatch frame) {
        boolean[] out = new boolean[frame.width * frame.height];
        for (int y = 0; y < frame.height; y++) {
            for (int x = 0; x < frame.width; x++) {
                out[y * frame.width + x] = m.contains(frame.x + x, frame.y + y);
            }
        }
        return out;
    }

    static double iou(boolean[] a, boolean[] b) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < a.length; i++) {
            inter += a[i] && b[i] ? 1 : 0;
            union += a[i] || b[i] ? 1 : 0;
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    private static void assertValidRing(Ring r) {
        assertTrue(r.size() >= 5, "at least 4 distinct positions and the closing one");
        assertEquals(r.x(0), r.x(r.size() - 1));
        assertEquals(r.y(0), r.y(r.size() - 1));
        assertTrue(r.signedArea() > 0, "counter-clockwise (RFC 7946): signed area " + r.signedArea());
        int n = r.size() - 1;
        for (int i = 0; i < n; i++) {
            for (int j = i + 2; j < n; j++) {
                if (i == 0 && j == n - 1) {
                    continue;
                }
                assertFalse(segmentsMeet(r, i, j), "edges " + i + " and " + j + " of the ring meet");
            }
        }
    }

    private static boolean segmentsMeet(Ring r, int i, int j) {
        double d1 = orient(r, j, j + 1, i);
        double d2 = orient(r, j, j + 1, i + 1);
        double d3 = orient(r, i, i + 1, j);
        double d4 = orient(r, i, i + 1, j + 1);
        return d1 * d2 <= 0 && d3 * d4 <= 0 && !(d1 == 0 && d2 == 0 && d3 == 0 && d4 == 0 && disjointOnLine(r, i, j));
    }

    private static double orient(Ring r, int a, int b, int c) {
        return (r.x(b) - r.x(a)) * (r.y(c) - r.y(a)) - (r.y(b) - r.y(a)) * (r.x(c) - r.x(a));
    }

    /** For collinear segments: whether their projections on segment i's direction do not overlap. */
    private static boolean disjointOnLine(Ring r, int i, int j) {
        double dx = r.x(i + 1) - r.x(i);
        double dy = r.y(i + 1) - r.y(i);
        double a0 = Math.min(0, dx * dx + dy * dy);
        double a1 = Math.max(0, dx * dx + dy * dy);
        double b0 = (r.x(j) - r.x(i)) * dx + (r.y(j) - r.y(i)) * dy;
        double b1 = (r.x(j + 1) - r.x(i)) * dx + (r.y(j + 1) - r.y(i)) * dy;
        return Math.max(b0, b1) < a0 || Math.min(b0, b1) > a1;
    }

    @Test
    void outlinesOfRandomBlobsAreClosedCounterClockwiseAndRasteriseToTheRegion() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 60; trial++) {
            MaskPatch raw = blob(rnd, 40, 100 + trial, 50);
            MaskPatch region = Contours.solidify(raw);
            Ring ring = Contours.outline(region);
            assertValidRing(ring);
            assertArrayEquals(within(region, raw), rasterise(ring, raw), "trial " + trial + ": exact at pixel centres");
            double iou = iou(within(raw, raw), rasterise(ring, raw));
            assertTrue(iou >= 0.95, "trial " + trial + ": IoU with the predicted mask " + iou);
            // the outline cuts corner pixels, so its area is a little below the pixel count
            double area = ring.signedArea();
            assertTrue(area <= region.area() && area > region.area() - region.area() * 0.2, area + " vs " + region.area());
        }
    }

    @Test
    void holesAreFilledAndTheLargestPieceIsKept() {
        int size = 30;
        boolean[] bits = new boolean[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = Math.hypot(x - 12, y - 12);
                bits[y * size + x] = (d <= 10 && d >= 4) || (x >= 26 && y >= 26);
            }
        }
        MaskPatch raw = new MaskPatch(5, 7, size, size, bits);
        MaskPatch solid = Contours.solidify(raw);
        assertTrue(solid.contains(5 + 12, 7 + 12), "the hole is filled");
        assertFalse(solid.contains(5 + 27, 7 + 27), "the small piece is dropped");
        assertEquals(5 + 2, solid.x);
        assertEquals(21, solid.width);
        Ring ring = Contours.outline(solid);
        assertValidRing(ring);
        assertArrayEquals(within(solid, raw), rasterise(ring, raw));
    }

    @Test
    void smallShapesHaveExactOutlines() {
        Ring dot = Contours.outline(new MaskPatch(3, 4, 1, 1, new boolean[] {true}));
        assertArrayEquals(new double[] {3.5, 4, 4, 4.5, 3.5, 5, 3, 4.5, 3.5, 4}, dot.coordinates());
        assertEquals(0.5, dot.signedArea());
        // a 45-degree staircase collapses to one straight diagonal edge
        boolean[] steps = new boolean[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x <= y; x++) {
                steps[y * 4 + x] = true;
            }
        }
        Ring triangle = Contours.outline(new MaskPatch(0, 0, 4, 4, steps));
        assertEquals(7, triangle.size(), java.util.Arrays.toString(triangle.coordinates()));
        // pixels touching only at a corner are separate pieces: the first (larger or equal) is kept
        MaskPatch diagonal = Contours.solidify(new MaskPatch(0, 0, 2, 2, new boolean[] {true, false, false, true}));
        assertEquals(1, diagonal.area());
        assertNull(Contours.solidify(new MaskPatch(0, 0, 2, 2, new boolean[4])));
    }

    @Test
    void hullAreaOfAConcaveRing() {
        Ring l = new Ring(new double[] {0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2, 0, 0});
        assertEquals(3, l.signedArea(), 1e-12);
        assertEquals(3.5, l.convexHullArea(), 1e-12);
        assertEquals(8, l.perimeter(), 1e-12);
        assertEquals(-3, l.reversed().signedArea(), 1e-12);
    }
}
