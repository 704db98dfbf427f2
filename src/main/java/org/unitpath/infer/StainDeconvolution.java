package org.unitpath.infer;

/**
 * Colour deconvolution of H&E (Ruifrok & Johnston, Anal. Quant. Cytol. Histol. 23(4):291-299,
 * 2001): a pixel's optical densities OD_c = -log10(I_c / 255) are a mix c_H * H + c_E * E +
 * c_R * R of unit stain vectors, solved for the amounts c. H = (0.650, 0.704, 0.286) and
 * E = (0.072, 0.990, 0.105) are the paper's standard H&E vectors, the ones HistomicsTK
 * ({@code stain_color_map}) and scikit-image ({@code hed_from_rgb}) use; the third, residual vector
 * is their normalised cross product, as HistomicsTK completes a two-stain matrix. Intensities
 * are clamped to 1..255 so black stays finite (OD at most log10(255) = 2.41).
 */
public final class StainDeconvolution {
    static final double[] HEMATOXYLIN = unit(0.650, 0.704, 0.286);
    static final double[] EOSIN = unit(0.072, 0.990, 0.105);
    static final double[] RESIDUAL = unit(cross(HEMATOXYLIN, EOSIN));
    private static final double[] OD = new double[256];
    // rows: how much of each stain per unit of red, green, blue OD (the inverse of the stain matrix)
    private static final double[][] INVERSE = invert(new double[][] {HEMATOXYLIN, EOSIN, RESIDUAL});

    static {
        for (int i = 0; i < 256; i++) {
            OD[i] = -Math.log10(Math.max(i, 1) / 255.0);
        }
    }

    private StainDeconvolution() {}

    /** Optical density of an 8-bit intensity. */
    public static double opticalDensity(int intensity) {
        return OD[intensity];
    }

    /** The haematoxylin, eosin and residual amounts (in OD units) of an 8-bit RGB pixel. */
    public static double[] amounts(int r, int g, int b) {
        double[] od = {OD[r], OD[g], OD[b]};
        double[] out = new double[3];
        for (int s = 0; s < 3; s++) {
            out[s] = od[0] * INVERSE[0][s] + od[1] * INVERSE[1][s] + od[2] * INVERSE[2][s];
        }
        return out;
    }

    private static double[] unit(double... v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    /** Inverse of a 3x3 matrix by cofactors (the stain matrix is well conditioned). */
    private static double[][] invert(double[][] m) {
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int r0 = (j + 1) % 3;
                int r1 = (j + 2) % 3;
                int c0 = (i + 1) % 3;
                int c1 = (i + 2) % 3;
                inv[i][j] = m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
            }
        }
        double det = m[0][0] * inv[0][0] + m[0][1] * inv[1][0] + m[0][2] * inv[2][0];
        for (double[] row : inv) {
            for (int j = 0; j < 3; j++) {
                row[j] /= det;
            }
        }
        return inv;
    }
}
