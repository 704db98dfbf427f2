package org.unitpath.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HungarianTest {
    @Test
    void solvesKnownAssignments() {
        // row 0 -> 1, row 1 -> 0, row 2 -> 2: cost 1 + 2 + 2 = 5 (greedy row-by-row would pay 1 + 5 + ... more)
        assertArrayEquals(new int[] {1, 0, 2}, Hungarian.assign(new double[][] {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}}));
        // the classic where the cheapest entry (0 at row 0, col 0) must be given up
        assertArrayEquals(new int[] {1, 0}, Hungarian.assign(new double[][] {{0, 1}, {1, 100}}));
        // more rows than columns: one row stays unassigned
        assertArrayEquals(new int[] {-1, 0, 1}, Hungarian.assign(new double[][] {{5, 5}, {1, 9}, {9, 1}}));
        assertArrayEquals(new int[] {2}, Hungarian.assign(new double[][] {{3, 2, -1}}));
        assertEquals(0, Hungarian.assign(new double[0][0]).length);
    }

    @Test
    void matchesExhaustiveSearchOnRandomMatrices() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(5);
            int m = 1 + rnd.nextInt(5);
            double[][] c = new double[n][m];
            for (double[] row : c) {
                for (int j = 0; j < m; j++) {
                    row[j] = rnd.nextInt(4) == 0 ? 0 : -rnd.nextInt(10) / 9.0;
                }
            }
            int[] a = Hungarian.assign(c);
            assertEquals(best(c, 0, new boolean[m], Math.min(n, m), n), total(c, a), 1e-9);
            boolean[] taken = new boolean[m];
            int assigned = 0;
            for (int col : a) {
                if (col >= 0) {
                    assertEquals(false, taken[col], "each column once");
                    taken[col] = true;
                    assigned++;
                }
            }
            assertEquals(Math.min(n, m), assigned);
        }
    }

    @Test
    void refusesRaggedOrNonFiniteCosts() {
        assertThrows(IllegalArgumentException.class, () -> Hungarian.assign(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.assign(new double[][] {{Double.NaN}}));
    }

    private static double total(double[][] c, int[] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] >= 0 ? c[i][a[i]] : 0;
        }
        return s;
    }

    /** Minimum over assignments of exactly min(n, m) pairs; rows may be skipped only while enough remain. */
    private static double best(double[][] c, int row, boolean[] used, int needed, int n) {
        if (needed == 0) {
            return 0;
        }
        if (n - row < needed) {
            return Double.POSITIVE_INFINITY;
        }
        double b = best(c, row + 1, used, needed, n);
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                b = Math.min(b, c[row][j] + best(c, row + 1, used, needed - 1, n));
                used[j] = false;
            }
        }
        return b;
    }
}
