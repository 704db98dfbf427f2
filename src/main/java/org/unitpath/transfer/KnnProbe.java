package org.unitpath.transfer;

import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.io.NpyFloat;
import org.unitpath.torch.Device;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * Weighted k-nearest-neighbour classification as in DINO's evaluation (Caron et al. 2021):
 * features are L2-normalised, the k training samples of highest cosine similarity s vote for
 * their class with weight exp(s / T), and the class scores are the normalised vote totals.
 */
public final class KnnProbe {
    public static final int DEFAULT_K = 20;
    public static final double DEFAULT_TEMPERATURE = 0.07;
    private static final int CHUNK = 512;

    private KnnProbe() {}

    /** Class scores (summing to 1) of every test row. */
    public static double[][] scores(NpyFloat.Matrix train, int[] labels, int classes, NpyFloat.Matrix test, int k,
            double temperature, Device device) {
        if (train.cols() != test.cols()) {
            throw new IllegalArgumentException("training features have " + train.cols() + " dimensions, test features "
                    + test.cols());
        }
        if (train.rows() != labels.length || train.rows() == 0) {
            throw new IllegalArgumentException(train.rows() + " training rows for " + labels.length + " labels");
        }
        int kk = Math.min(k, train.rows());
        double[][] out = new double[test.rows()][];
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            org.bytedeco.pytorch.Device d = device.toNative();
            Tensor bank = normalised(Tensors.of(train.data(), train.rows(), train.cols()).to(d, ScalarType.Float));
            float[] lf = new float[labels.length];
            for (int i = 0; i < lf.length; i++) {
                lf[i] = labels[i];
            }
            Tensor bankLabels = Tensors.of(lf, lf.length).to(d, ScalarType.Long);
            for (int start = 0; start < test.rows(); start += CHUNK) {
                int n = Math.min(CHUNK, test.rows() - start);
                try (MemoryScope chunk = MemoryScope.open()) {
                    float[] rows = java.util.Arrays.copyOfRange(test.data(), start * test.cols(), (start + n) * test.cols());
                    Tensor q = normalised(Tensors.of(rows, n, test.cols()).to(d, ScalarType.Float));
                    T_TensorTensor_T top = torch.topk(q.mm(bank.t()), kk, 1, true, true);
                    Tensor weights = top.get0().div(F.scalar(temperature)).exp();
                    Tensor neighbourLabels = bankLabels.index_select(0, top.get1().reshape(-1)).reshape(n, kk);
                    Tensor votes = torch.zeros(new long[] {n, classes}, weights.options())
                            .scatter_add_(1, neighbourLabels, weights);
                    Tensor p = votes.div(votes.sum(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
                    double[][] part = LinearProbe.rows(Tensors.toFloats(p), n, classes);
                    System.arraycopy(part, 0, out, start, n);
                }
            }
        }
        return out;
    }

    private static Tensor normalised(Tensor x) {
        Tensor norm = x.norm(new org.bytedeco.pytorch.ScalarOptional(F.scalar(2.0)), new long[] {1}, true);
        return x.div(norm.clamp_min(F.scalar(1e-12)));
    }
}
