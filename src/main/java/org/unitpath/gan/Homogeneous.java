package org.unitpath.gan;

/**
 * Homogeneous transformation matrices as plain {@code double[][]}: 3 x 3 for 2-D pixel
 * coordinates, 4 x 4 for RGB colours, with the conventions of StyleGAN2-ADA's augment.py.
 */
final class Homogeneous {
    private static final double INV_SQRT3 = 1 / Math.sqrt(3);
    /** The luma (grey) axis of RGB, in homogeneous form. */
    static final double[] LUMA_AXIS = {INV_SQRT3, INV_SQRT3, INV_SQRT3, 0};

    private Homogeneous() {}

    static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i][k] * b[k][j];
                }
                out[i][j] = s;
            }
        }
        return out;
    }

    static boolean isIdentity(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (m[i][j] != (i == j ? 1.0 : 0.0)) {
                    return false;
                }
            }
        }
        return true;
    }

    static double[][] translate2d(double tx, double ty) {
        return new double[][] {{1, 0, tx}, {0, 1, ty}, {0, 0, 1}};
    }

    static double[][] scale2d(double sx, double sy) {
        return new double[][] {{sx, 0, 0}, {0, sy, 0}, {0, 0, 1}};
    }

    static double[][] rotate2d(double theta) {
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        return new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
    }

    /** rotate2d(quarterTurns * π/2) with exact zeros and ones, so 90° rotations hit pixel centres exactly. */
    static double[][] rotate2dQuarter(int quarterTurns) {
        int q = Math.floorMod(quarterTurns, 4);
        double c = q == 0 ? 1 : q == 2 ? -1 : 0;
        double s = q == 1 ? 1 : q == 3 ? -1 : 0;
        return new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
    }

    static double[][] translate3d(double tx, double ty, double tz) {
        return new double[][] {{1, 0, 0, tx}, {0, 1, 0, ty}, {0, 0, 1, tz}, {0, 0, 0, 1}};
    }

    static double[][] scale3d(double sx, double sy, double sz) {
        return new double[][] {{sx, 0, 0, 0}, {0, sy, 0, 0}, {0, 0, sz, 0}, {0, 0, 0, 1}};
    }

    /** Rotation by {@code theta} around the unit axis {@code v} (Rodrigues). */
    static double[][] rotate3d(double[] v, double theta) {
        double x = v[0], y = v[1], z = v[2];
        double s = Math.sin(theta), c = Math.cos(theta), cc = 1 - c;
        return new double[][] {
            {x * x * cc + c, x * y * cc - z * s, x * z * cc + y * s, 0},
            {y * x * cc + z * s, y * y * cc + c, y * z * cc - x * s, 0},
            {z * x * cc - y * s, z * y * cc + x * s, z * z * cc + c, 0},
            {0, 0, 0, 1}};
    }

    /** Householder reflection I - 2vvᵀ through the plane orthogonal to the luma axis. */
    static double[][] lumaFlip() {
        double[][] m = identity(4);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                m[i][j] -= 2 * LUMA_AXIS[i] * LUMA_AXIS[j];
            }
        }
        return m;
    }

    /** vvᵀ + (I - vvᵀ)·s: keeps the luma component, scales the chroma by {@code s}. */
    static double[][] saturation(double s) {
        double[][] m = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double vv = LUMA_AXIS[i] * LUMA_AXIS[j];
                m[i][j] = vv + ((i == j ? 1 : 0) - vv) * s;
            }
        }
        return m;
    }
}
