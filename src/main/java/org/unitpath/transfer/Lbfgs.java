package org.unitpath.transfer;

/**
 * Limited-memory BFGS (Nocedal and Wright, Algorithm 7.4) with a backtracking Armijo line
 * search, for smooth convex objectives such as L2-regularised logistic regression. Plain Java
 * vectors: the objective does the heavy work. Deterministic for a deterministic objective.
 */
public final class Lbfgs {
    /** f(x) with its gradient written into {@code grad}. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(double[] x, double[] grad);
    }

    /** How it ended: final value, iterations, and whether a tolerance (not the iteration cap) stopped it. */
    public record Result(double value, int iterations, boolean converged) {}

    private static final int HISTORY = 10;
    private static final double ARMIJO = 1e-4;

    private Lbfgs() {}

    /**
     * Minimises {@code f} from {@code x} (updated in place). Stops when the largest gradient
     * component is below {@code gradTolerance}, when an iteration lowers f by less than
     * {@code changeTolerance} relative, or after {@code maxIterations}.
     */
    public static Result minimise(Objective f, double[] x, int maxIterations, double gradTolerance, double changeTolerance) {
        int n = x.length;
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        double[][] s = new double[HISTORY][];
        double[][] y = new double[HISTORY][];
        double[] rho = new double[HISTORY];
        int stored = 0;
        int newest = -1;
        double[] alpha = new double[HISTORY];
        for (int iter = 0; iter < maxIterations; iter++) {
            if (maxAbs(g) <= gradTolerance) {
                return new Result(fx, iter, true);
            }
            double[] d = g.clone();
            for (int k = 0; k < stored; k++) {
                int i = Math.floorMod(newest - k, HISTORY);
                alpha[i] = rho[i] * dot(s[i], d);
                axpy(-alpha[i], y[i], d);
            }
            double gamma = stored == 0 ? Math.min(1, 1 / sumAbs(g)) : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            scale(d, gamma);
            for (int k = stored - 1; k >= 0; k--) {
                int i = Math.floorMod(newest - k, HISTORY);
                double beta = rho[i] * dot(y[i], d);
                axpy(alpha[i] - beta, s[i], d);
            }
            scale(d, -1);
            double slope = dot(g, d);
            if (slope >= 0) {
                // not a descent direction (rounding): restart from steepest descent
                stored = 0;
                d = g.clone();
                scale(d, -Math.min(1, 1 / sumAbs(g)));
                slope = dot(g, d);
            }
            double[] xNew = new double[n];
            double[] gNew = new double[n];
            double step = 1;
            double fNew = Double.NaN;
            for (int tries = 0; tries < 50; tries++) {
                for (int j = 0; j < n; j++) {
                    xNew[j] = x[j] + step * d[j];
                }
                fNew = f.evaluate(xNew, gNew);
                if (fNew <= fx + ARMIJO * step * slope) {
                    break;
                }
                step *= 0.5;
            }
            if (!(fNew <= fx)) {
                return new Result(fx, iter, true);
            }
            double[] sk = new double[n];
            double[] yk = new double[n];
            for (int j = 0; j < n; j++) {
                sk[j] = xNew[j] - x[j];
                yk[j] = gNew[j] - g[j];
            }
            double sy = dot(sk, yk);
            if (sy > 1e-10 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
                newest = (newest + 1) % HISTORY;
                s[newest] = sk;
                y[newest] = yk;
                rho[newest] = 1 / sy;
                stored = Math.min(HISTORY, stored + 1);
            }
            double change = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if (change <= changeTolerance * Math.max(1, Math.abs(fx))) {
                return new Result(fx, iter + 1, true);
            }
        }
        return new Result(fx, maxIterations, maxAbs(g) <= gradTolerance);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double[] x, double a) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double sumAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m += Math.abs(v);
        }
        return Math.max(m, 1e-300);
    }
}
