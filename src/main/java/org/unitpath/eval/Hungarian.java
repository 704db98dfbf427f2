package org.unitpath.eval;

import java.util.Arrays;

/**
 * Minimum-cost assignment (the Hungarian / Kuhn-Munkres method, O(n^2 m) shortest augmenting
 * paths with potentials), what scipy's {@code linear_sum_assignment} solves for HoVer-Net.
 */
public final class Hungarian {
    private Hungarian() {}

    /**
     * Assigns each row of an n x m cost matrix to a distinct column, minimising the total; when
     * there are more rows than columns some rows stay unassigned. Returns the column of each
     * row, or -1.
     */
    public static int[] assign(double[][] cost) {
        int n = cost.length;
        int m = n == 0 ? 0 : cost[0].length;
        for (double[] row : cost) {
            if (row.length != m) {
                throw new IllegalArgumentException("cost matrix rows differ in length");
            }
            for (double c : row) {
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException("cost matrix holds a value that is not finite: " + c);
                }
            }
        }
        if (n <= m) {
            return rowsToColumns(cost, n, m);
        }
        double[][] t = new double[m][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                t[j][i] = cost[i][j];
            }
        }
        int[] colToRow = rowsToColumns(t, m, n);
        int[] out = new int[n];
        Arrays.fill(out, -1);
        for (int j = 0; j < m; j++) {
            out[colToRow[j]] = j;
        }
        return out;
    }

    /** n <= m: every row gets a column. Arrays are 1-based with 0 as the virtual start column. */
    private static int[] rowsToColumns(double[][] a, int n, int m) {
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] out = new int[n];
        Arrays.fill(out, -1);
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                out[p[j] - 1] = j - 1;
            }
        }
        return out;
    }
}
