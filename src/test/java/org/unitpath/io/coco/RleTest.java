package org.unitpath.io.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RleTest {
    /** 3 wide, 2 high: row 0 = 0 1 1, row 1 = 0 0 1. */
    private static final byte[] SMALL = {0, 1, 1, 0, 0, 1};

    @Test
    void countsRunDownTheColumnsAsPycocotoolsAndDetectron2Do() {
        Rle r = Rle.encode(SMALL, 3, 2);
        // column-major: (0,0)=0 (1,0)=0 | (0,1)=1 (1,1)=0 | (0,2)=1 (1,2)=1; row-major would be [1, 2, 2, 1]
        assertArrayEquals(new int[] {2, 1, 1, 2}, r.counts());
        assertEquals(2, r.height());
        assertEquals(3, r.width());
        assertArrayEquals(SMALL, r.decode());
        assertEquals(3, r.area());
        assertArrayEquals(new double[] {1, 0, 2, 2}, r.bbox());
    }

    @Test
    void aMaskStartingWithForegroundHasAnEmptyFirstRun() {
        Rle r = Rle.encode(new byte[] {1, 1, 1, 1}, 2, 2);
        assertArrayEquals(new int[] {0, 4}, r.counts());
        assertArrayEquals(new int[] {4}, Rle.encode(new byte[4], 2, 2).counts());
        assertArrayEquals(new double[4], Rle.encode(new byte[4], 2, 2).bbox());
    }

    @Test
    void aRunWrappingIntoTheNextColumnSpansTheFullHeight() {
        // 2x2, pixels (row 1, col 0) and (row 0, col 1): one run of 2 across the column break
        Rle r = Rle.encode(new byte[] {0, 1, 1, 0}, 2, 2);
        assertArrayEquals(new int[] {1, 2, 1}, r.counts());
        assertArrayEquals(new double[] {0, 0, 2, 2}, r.bbox());
    }

    @Test
    void compressedStringsMatchHandDerivedPycocotoolsValues() {
        // 6 bits per character from '0': small values are one character; from the 4th count on,
        // each is stored as the difference to the count two places before (negative deltas
        // sign-extend from bit 4).
        assertEquals("2111", new Rle(2, 3, new int[] {2, 1, 1, 2}).compressedCounts());
        assertEquals("0T3", new Rle(10, 10, new int[] {0, 100}).compressedCounts());
        assertEquals("53:N:", new Rle(1, 39, new int[] {5, 3, 10, 1, 20}).compressedCounts());
        assertArrayEquals(new int[] {5, 3, 10, 1, 20}, Rle.fromCompressed("53:N:", 1, 39).counts());
        assertArrayEquals(new int[] {0, 100}, Rle.fromCompressed("0T3", 10, 10).counts());
    }

    @Test
    void randomMasksRoundTripThroughCountsAndStrings() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int w = 1 + rnd.nextInt(40);
            int h = 1 + rnd.nextInt(40);
            byte[] m = new byte[w * h];
            double density = rnd.nextDouble();
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) (rnd.nextDouble() < density ? 1 : 0);
            }
            Rle r = Rle.encode(m, w, h);
            assertArrayEquals(m, r.decode());
            assertEquals(r, Rle.fromCompressed(r.compressedCounts(), h, w));
            long area = 0;
            for (byte b : m) {
                area += b;
            }
            assertEquals(area, r.area());
        }
    }

    @Test
    void largeCountsAndLongDeltasRoundTrip() {
        Rle r = new Rle(1000, 1000, new int[] {123_456, 400_000, 7, 1, 476_536});
        assertEquals(r, Rle.fromCompressed(r.compressedCounts(), 1000, 1000));
    }

    @Test
    void iouOnRunsEqualsIouOnPixelsAndHandlesCrowds() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            int w = 1 + rnd.nextInt(20);
            int h = 1 + rnd.nextInt(20);
            byte[] a = new byte[w * h];
            byte[] b = new byte[w * h];
            long ia = 0;
            long inter = 0;
            long union = 0;
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) rnd.nextInt(2);
                b[i] = (byte) rnd.nextInt(2);
                ia += a[i];
                inter += a[i] & b[i];
                union += a[i] | b[i];
            }
            Rle ra = Rle.encode(a, w, h);
            Rle rb = Rle.encode(b, w, h);
            double expected = inter == 0 ? 0 : inter / (double) union;
            assertEquals(expected, ra.iou(rb, false), 1e-15);
            assertEquals(inter == 0 ? 0 : inter / (double) ia, ra.iou(rb, true), 1e-15, "crowd: over the detection's area");
        }
    }

    @Test
    void mergeUnitesOrIntersects() {
        Rle a = Rle.encode(new byte[] {1, 1, 0, 0}, 2, 2);
        Rle b = Rle.encode(new byte[] {0, 1, 1, 0}, 2, 2);
        assertArrayEquals(new byte[] {1, 1, 1, 0}, Rle.merge(List.of(a, b), false).decode());
        assertArrayEquals(new byte[] {0, 1, 0, 0}, Rle.merge(List.of(a, b), true).decode());
    }

    @Test
    void badCountsAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Rle(2, 2, new int[] {1, 2}));
        assertTrue(e.getMessage().contains("add up to 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Rle.fromCompressed("2~", 2, 2));
        assertTrue(e.getMessage().contains("'~'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rle.fromCompressed("T", 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Rle.encode(SMALL, 3, 2).iou(Rle.encode(new byte[4], 2, 2), false));
    }
}
