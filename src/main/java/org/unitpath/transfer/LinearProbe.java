package org.unitpath.transfer;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.io.NpyFloat;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * Multinomial logistic regression on standardised features (each feature centred and scaled by
 * the training set's mean and standard deviation), with scikit-learn's objective
 * sum_i CE_i + (l2 / 2) ||W||^2 (bias not penalised), minimised by full-batch L-BFGS to
 * convergence. The default l2 = 100 / (features x classes) follows recent pathology
 * foundation-model benchmarks (UNI, Chen et al. 2024).
 */
public final class LinearProbe {
    /** {@code l2}: penalty weight; iterations cap and gradient tolerance of L-BFGS. */
    public record Settings(double l2, int maxIterations, double tolerance) {
        /** Largest gradient component at convergence (of the per-sample objective). */
        public static final double TOLERANCE = 1e-6;

        public Settings {
            if (!(l2 >= 0) || maxIterations < 1 || !(tolerance > 0)) {
                throw new IllegalArgumentException("need l2 >= 0, max iterations >= 1 and tolerance > 0");
            }
        }

        public static Settings defaults(int features, int classes) {
            return new Settings(100.0 / ((double) features * classes), 1000, TOLERANCE);
        }
    }

    private final float[] mean;
    private final float[] std;
    private final float[] weight;
    private final float[] bias;
    private final int classes;
    private final Lbfgs.Result fit;

    private LinearProbe(float[] mean, float[] std, float[] weight, float[] bias, int classes, Lbfgs.Result fit) {
        this.mean = mean;
        this.std = std;
        this.weight = weight;
        this.bias = bias;
        this.classes = classes;
        this.fit = fit;
    }

    public Lbfgs.Result fit() {
        return fit;
    }

    public static LinearProbe fit(NpyFloat.Matrix x, int[] labels, int classes, Settings s, Device device) {
        if (x.rows() != labels.length || x.rows() == 0) {
            throw new IllegalArgumentException(x.rows() + " feature rows for " + labels.length + " labels");
        }
        int m = x.cols();
        float[][] stats = standardisation(x);
        double n = x.rows();
        double[] theta = new double[classes * m + classes];
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor xs = standardise(x, stats[0], stats[1], device);
            Tensor onehot = torch.one_hot(Tensors.of(toFloats(labels), labels.length).to(ScalarType.Long), classes)
                    .to(xs.device(), ScalarType.Double);
            Lbfgs.Objective f = (t, grad) -> {
                try (MemoryScope step = MemoryScope.open()) {
                    Tensor w = Tensors.of(toFloats(t, 0, classes * m), classes, m).to(xs.device(), ScalarType.Float);
                    Tensor b = Tensors.of(toFloats(t, classes * m, classes), classes).to(xs.device(), ScalarType.Double);
                    Tensor logits = xs.mm(w.t()).to(ScalarType.Double).add(b);
                    Tensor logp = torch.log_softmax(logits, 1);
                    double loss = -logp.mul(onehot).sum().item_double();
                    Tensor residual = logp.exp().sub(onehot);
                    float[] gw = Tensors.toFloats(residual.t().to(ScalarType.Float).mm(xs));
                    float[] gb = Tensors.toFloats(residual.sum(0));
                    double penalty = 0;
                    for (int i = 0; i < classes * m; i++) {
                        penalty += t[i] * t[i];
                        grad[i] = (gw[i] + s.l2() * t[i]) / n;
                    }
                    for (int c = 0; c < classes; c++) {
                        grad[classes * m + c] = gb[c] / n;
                    }
                    return (loss + s.l2() / 2 * penalty) / n;
                }
            };
            Lbfgs.Result r = Lbfgs.minimise(f, theta, s.maxIterations(), s.tolerance(), 1e-12);
            return new LinearProbe(stats[0], stats[1], toFloats(theta, 0, classes * m), toFloats(theta, classes * m, classes),
                    classes, r);
        }
    }

    /** Class probabilities (softmax), one row per sample. */
    public double[][] probabilities(NpyFloat.Matrix x, Device device) {
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor xs = standardise(x, mean, std, device);
            Tensor w = Tensors.of(weight, classes, x.cols()).to(xs.device(), ScalarType.Float);
            Tensor b = Tensors.of(bias, classes).to(xs.device(), ScalarType.Float);
            Tensor p = torch.softmax(xs.mm(w.t()).add(b).to(ScalarType.Double), 1);
            return rows(Tensors.toFloats(p), x.rows(), classes);
        }
    }

    /** Per-feature mean and standard deviation (population); constant features get std 1. */
    static float[][] standardisation(NpyFloat.Matrix x) {
        int m = x.cols();
        double[] sum = new double[m];
        double[] sq = new double[m];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < m; j++) {
                double v = x.data()[i * m + j];
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        float[] mean = new float[m];
        float[] std = new float[m];
        for (int j = 0; j < m; j++) {
            double mu = sum[j] / x.rows();
            double var = Math.max(0, sq[j] / x.rows() - mu * mu);
            mean[j] = (float) mu;
            std[j] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
        }
        return new float[][] {mean, std};
    }

    private static Tensor standardise(NpyFloat.Matrix x, float[] mean, float[] std, Device device) {
        org.bytedeco.pytorch.Device d = device.toNative();
        Tensor t = Tensors.of(x.data(), x.rows(), x.cols()).to(d, ScalarType.Float);
        return t.sub(Tensors.of(mean, 1, x.cols()).to(d, ScalarType.Float)).div(Tensors.of(std, 1, x.cols()).to(d, ScalarType.Float));
    }

    static double[][] rows(float[] flat, int n, int c) {
        double[][] out = new double[n][c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                out[i][j] = flat[i * c + j];
            }
        }
        return out;
    }

    private static float[] toFloats(int[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static float[] toFloats(double[] v, int from, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) v[from + i];
        }
        return out;
    }
}
