package org.unitpath.seg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.Norms;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * Detectron2's SemSegFPNHead (Panoptic FPN's semantic branch; S's head under the SSG
 * strategy): per input level a scale head of max(1, log2(stride / commonStride)) blocks of
 * conv 3x3 + norm + ReLU, each followed by bilinear x2 up-sampling (align_corners=False) while
 * the level is coarser than the common stride; the scale heads are summed and a 1x1
 * {@code predictor} gives class logits at the common stride.
 *
 * <p>Parameter names as Detectron2's {@code nn.Sequential} scale heads, where the
 * up-sampling modules take the odd indices: {@code p2.0.weight}, {@code p2.0.norm.weight},
 * {@code p5.4.norm.bias}, ..., {@code predictor.weight/bias}. Every conv is initialised with
 * c2_msra_fill (the predictor too, as Detectron2 and the release do).
 */
public final class SemSegFpnHead extends Module {
    /** at::Reduction::Mean */
    private static final long REDUCTION_MEAN = 1;
    public final SemSegConfig config;
    private final List<ScaleHead> scaleHeads = new ArrayList<>();
    private final Conv2d predictor;

    private static final class ScaleHead extends Module {
        private final List<Conv2d> convs = new ArrayList<>();
        private final boolean upsample;

        ScaleHead(SemSegConfig c, int stride) {
            upsample = stride != c.commonStride();
            int blocks = Math.max(1, Integer.numberOfTrailingZeros(stride) - Integer.numberOfTrailingZeros(c.commonStride()));
            for (int k = 0; k < blocks; k++) {
                Conv2d conv = Conv2d.of(k == 0 ? c.inChannels() : c.convDims(), c.convDims(), 3).padding(1)
                        .bias(Norms.isNone(c.norm())).norm(Norms.create(c.norm(), c.convDims())).build();
                msraFill(conv);
                convs.add(child(Integer.toString(upsample ? 2 * k : k), conv));
            }
        }

        Tensor forward(Tensor x) {
            return MemoryScope.chain(x, convs.stream().<UnaryOperator<Tensor>>map(conv -> in -> {
                Tensor y = F.relu_(conv.forward(in));
                return upsample ? Interpolate.bilinear(y, 2, false) : y;
            }).toList());
        }
    }

    public SemSegFpnHead(SemSegConfig config) {
        this.config = config;
        for (String f : config.inFeatures()) {
            scaleHeads.add(child(f, new ScaleHead(config, SemSegConfig.stride(f))));
        }
        predictor = child("predictor", Conv2d.of(config.convDims(), config.numClasses(), 1).bias(true).build());
        msraFill(predictor);
    }

    /** Detectron2's c2_msra_fill: kaiming normal (fan_out, ReLU) weights, zero bias. */
    private static void msraFill(Conv2d conv) {
        Init.msraFill(conv.weight());
        if (conv.bias() != null) {
            Init.constant(conv.bias(), 0);
        }
    }

    /** Class logits at the common stride, N x numClasses x H/commonStride x W/commonStride. */
    public Tensor layers(Map<String, Tensor> features) {
        Tensor x = null;
        for (int i = 0; i < scaleHeads.size(); i++) {
            String f = config.inFeatures().get(i);
            Tensor in = features.get(f);
            if (in == null) {
                throw new IllegalArgumentException("semantic head needs FPN level " + f + ", got " + features.keySet());
            }
            if (in.dim() != 4 || in.size(1) != config.inChannels()) {
                throw new IllegalArgumentException(f + " must be N x " + config.inChannels() + " x H x W, got "
                        + Arrays.toString(in.shape()));
            }
            Tensor y = scaleHeads.get(i).forward(in);
            if (x != null && !Arrays.equals(x.shape(), y.shape())) {
                throw new IllegalArgumentException(f + " scales to " + Arrays.toString(y.shape()) + ", the finer levels to "
                        + Arrays.toString(x.shape()) + ": the FPN levels do not line up");
            }
            x = x == null ? y : x.add(y);
        }
        return predictor.forward(x);
    }

    /** Class logits at the image's size, N x numClasses x H x W (Detectron2's inference output). */
    public Tensor forward(Map<String, Tensor> features) {
        return Interpolate.bilinear(layers(features), config.commonStride(), false);
    }

    /**
     * Mean per-pixel cross-entropy of the image-size logits against {@code targets} (N x H x W
     * class ids; {@link SemSegConfig#ignoreValue()} pixels excluded), times the loss weight:
     * Detectron2's {@code loss_sem_seg}. NaN when every pixel is ignored, as in PyTorch.
     */
    public Tensor loss(Map<String, Tensor> features, Tensor targets) {
        Tensor logits = forward(features).to(ScalarType.Float);
        if (targets.dim() != 3 || targets.size(0) != logits.size(0) || targets.size(1) != logits.size(2)
                || targets.size(2) != logits.size(3)) {
            throw new IllegalArgumentException("targets must be N x H x W = " + logits.size(0) + " x " + logits.size(2)
                    + " x " + logits.size(3) + ", got " + Arrays.toString(targets.shape()));
        }
        Tensor ce = torch.cross_entropy_loss(logits, targets.to(ScalarType.Long), F.opt(null), REDUCTION_MEAN,
                config.ignoreValue(), 0.0);
        return ce.mul(F.scalar(config.lossWeight()));
    }

    /** Per-pixel class ids (N x H x W, int64) from logits N x C x H x W. */
    public static Tensor labels(Tensor logits) {
        return torch.argmax(logits, new LongOptional(1), false);
    }

    /** Per-pixel class probabilities (softmax over the class dimension of N x C x H x W logits). */
    public static Tensor probabilities(Tensor logits) {
        return torch.softmax(logits, 1);
    }
}
