package org.unitpath.seg;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.Tensors;

/**
 * S's input normalisation, Detectron2's INPUT.FORMAT, MODEL.PIXEL_MEAN and PIXEL_STD (0..255
 * scale, in the network's channel order): S sees (v - mean) / std, channels reversed first when
 * the network expects BGR (Detectron2's ImageNet .pkl trunks). unitpath's images reach S already as
 * (v - 127.5) / 127.5 in RGB, the release's values, so only other settings change the tensor.
 */
public record PixelNorm(List<Double> mean, List<Double> std, boolean bgr) {
    /** The release's (and unitpath's data) normalisation: [-1, 1]. */
    public static final PixelNorm RELEASE = new PixelNorm(List.of(127.5, 127.5, 127.5), List.of(127.5, 127.5, 127.5));

    public PixelNorm(List<Double> mean, List<Double> std) {
        this(mean, std, false);
    }

    public PixelNorm {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3 || std.stream().anyMatch(s -> !(s > 0))) {
            throw new IllegalArgumentException("pixel mean and std need 3 values, std > 0; got " + mean + " and " + std);
        }
    }

    public boolean isRelease() {
        return equals(RELEASE);
    }

    /** N x 3 x H x W RGB images in [-1, 1] ((v - 127.5) / 127.5) to (v - mean) / std in the network's channel order. */
    public Tensor apply(Tensor images) {
        if (isRelease()) {
            return images;
        }
        if (bgr) {
            Tensor order = Tensors.of(new float[] {2, 1, 0}, 3).to(images.device(), ScalarType.Long);
            images = images.index_select(1, order);
        }
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            // v = 127.5 x + 127.5, so (v - mean) / std = x * 127.5 / std + (127.5 - mean) / std
            scale[c] = (float) (127.5 / std.get(c));
            shift[c] = (float) ((127.5 - mean.get(c)) / std.get(c));
        }
        Tensor s = Tensors.of(scale, 1, 3, 1, 1).to(images.device(), images.scalar_type());
        Tensor b = Tensors.of(shift, 1, 3, 1, 1).to(images.device(), images.scalar_type());
        return images.mul(s).add(b);
    }
}
