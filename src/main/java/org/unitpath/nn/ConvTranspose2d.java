package org.unitpath.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/**
 * Transposed 2-D convolution with PyTorch's parameters: {@code weight} of shape
 * [in, out / groups, k, k] and {@code bias}, plus an optional normalisation child {@code norm}
 * applied to the output (as {@link Conv2d}). Output side: (H - 1) * stride - 2 * padding +
 * dilation * (k - 1) + outputPadding + 1.
 */
public final class ConvTranspose2d extends Module implements Layer {
    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int outputPadding;
    public final int dilation;
    public final int groups;
    private final Tensor weight;
    private final Tensor bias;
    private final Layer norm;

    private ConvTranspose2d(Builder b) {
        if (b.in % b.groups != 0 || b.out % b.groups != 0) {
            throw new IllegalArgumentException("channels " + b.in + "->" + b.out + " not divisible by groups " + b.groups);
        }
        if (b.outputPadding >= Math.max(b.stride, b.dilation)) {
            throw new IllegalArgumentException("output padding " + b.outputPadding
                    + " must be smaller than the stride or the dilation");
        }
        inChannels = b.in;
        outChannels = b.out;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        outputPadding = b.outputPadding;
        dilation = b.dilation;
        groups = b.groups;
        weight = param("weight", Tensors.empty(b.in, b.out / b.groups, b.kernel, b.kernel));
        // PyTorch takes fan_in from dimension 1 of the weight, i.e. out / groups * k * k here
        double bound = 1.0 / Math.sqrt(Init.fanIn(weight));
        Init.uniform(weight, -bound, bound);
        boolean withBias = b.bias != null ? b.bias : b.norm == null;
        bias = withBias ? Init.uniform(param("bias", Tensors.empty(b.out)), -bound, bound) : null;
        norm = b.norm == null ? null : (Layer) child("norm", (Module) b.norm);
    }

    public static Builder of(int in, int out, int kernel) {
        return new Builder(in, out, kernel);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when the convolution has none. */
    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = torch.conv_transpose2d(x, weight, F.opt(bias), new long[] {stride, stride},
                new long[] {padding, padding}, new long[] {outputPadding, outputPadding}, groups,
                dilation, dilation);
        return norm == null ? y : norm.forward(y);
    }

    public static final class Builder {
        private final int in;
        private final int out;
        private final int kernel;
        private int stride = 1;
        private int padding;
        private int outputPadding;
        private int dilation = 1;
        private int groups = 1;
        private Boolean bias;
        private Layer norm;

        private Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder stride(int s) {
            stride = s;
            return this;
        }

        public Builder padding(int p) {
            padding = p;
            return this;
        }

        public Builder outputPadding(int p) {
            outputPadding = p;
            return this;
        }

        public Builder dilation(int d) {
            dilation = d;
            return this;
        }

        public Builder groups(int g) {
            groups = g;
            return this;
        }

        /** With or without bias; by default a bias exactly when there is no norm. */
        public Builder bias(boolean b) {
            bias = b;
            return this;
        }

        /** The normalisation applied after the convolution; it must be a {@link Module}. Null for none. */
        public Builder norm(Layer n) {
            if (n != null && !(n instanceof Module)) {
                throw new IllegalArgumentException("norm must be a Module");
            }
            norm = n;
            return this;
        }

        public ConvTranspose2d build() {
            return new ConvTranspose2d(this);
        }
    }
}
