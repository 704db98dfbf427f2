package org.unitpath.nn;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/**
 * 2-D convolution with an optional normalisation child named {@code norm}, as Detectron2's
 * {@code layers.Conv2d}: parameters {@code weight}, {@code bias} (only without a norm, by
 * default) and {@code norm.*}. Square kernels, strides and paddings.
 */
public final class Conv2d extends Module implements Layer {
    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int dilation;
    public final int groups;
    private final Tensor weight;
    private final Tensor bias;
    private final Layer norm;

    private Conv2d(Builder b) {
        if (b.in % b.groups != 0 || b.out % b.groups != 0) {
            throw new IllegalArgumentException("channels " + b.in + "->" + b.out + " not divisible by groups " + b.groups);
        }
        inChannels = b.in;
        outChannels = b.out;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        dilation = b.dilation;
        groups = b.groups;
        weight = param("weight", Tensors.empty(b.out, b.in / b.groups, b.kernel, b.kernel));
        double bound = 1.0 / Math.sqrt(Init.fanIn(weight));
        Init.uniform(weight, -bound, bound); // PyTorch's default; model builders re-initialise
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
        if (norm == null) {
            return F.conv2d(x, weight, bias, stride, padding, dilation, groups);
        }
        return MemoryScope.scoped(() -> norm.forward(F.conv2d(x, weight, bias, stride, padding, dilation, groups)));
    }

    public static final class Builder {
        private final int in;
        private final int out;
        private final int kernel;
        private int stride = 1;
        private int padding;
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

        public Builder dilation(int d) {
            dilation = d;
            return this;
        }

        public Builder groups(int g) {
            groups = g;
            return this;
        }

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

        public Conv2d build() {
            return new Conv2d(this);
        }
    }
}
