package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's {@code roi_align} from tensor ops, in value and gradient with respect to the
 * features (no gradient flows to the RoIs, as in torchvision). Each of the output bins of a RoI
 * averages grid x grid bilinear samples (grid = the sampling ratio, or ceil(bin size) when it
 * is 0); {@code aligned} shifts the scaled RoI by -0.5 pixel (Detectron2's ROIAlignV2) and
 * otherwise RoIs are at least 1 x 1 feature pixel. Sampling weights are computed on the host
 * in float32 and applied as one sparse weighted gather (see {@link RoiBins}).
 */
public final class RoiAlign {
    private RoiAlign() {}

    /**
     * @param features N x C x H x W
     * @param rois K x 5 rows (batch index, x0, y0, x1, y1) in image coordinates
     * @param spatialScale feature pixels per image pixel (1 / stride)
     * @return K x C x outputHeight x outputWidth
     */
    public static Tensor apply(Tensor features, Tensor rois, int outputHeight, int outputWidth, double spatialScale,
            int samplingRatio, boolean aligned) {
        checkFeatures(features);
        if (rois.dim() != 2 || rois.size(1) != 5) {
            throw new IllegalArgumentException("rois must be K x 5 (batch index, x0, y0, x1, y1), got shape "
                    + Arrays.toString(rois.shape()));
        }
        if (samplingRatio < 0) {
            throw new IllegalArgumentException("sampling ratio must be >= 0 (0 = adaptive), got " + samplingRatio);
        }
        RoiBins bins = new RoiBins(outputHeight, outputWidth);
        long n = features.size(0);
        int height = (int) features.size(2);
        int width = (int) features.size(3);
        float[] r = HostArrays.toFloats(rois);
        float scale = (float) spatialScale;
        for (int k = 0; k < r.length / 5; k++) {
            int batch = batchIndex(r[5 * k], n);
            bins.add(0, batch, height, width, r[5 * k + 1], r[5 * k + 2], r[5 * k + 3], r[5 * k + 4], scale,
                    samplingRatio, aligned);
        }
        return toOutput(bins.apply(channelsLast(features)), rois.size(0), features.size(1), outputHeight, outputWidth);
    }

    static void checkFeatures(Tensor features) {
        if (features.dim() != 4 || features.size(2) == 0 || features.size(3) == 0) {
            throw new IllegalArgumentException("RoIAlign features must be N x C x H x W with H, W > 0, got shape "
                    + Arrays.toString(features.shape()));
        }
    }

    static int batchIndex(float value, long batchSize) {
        int batch = (int) value;
        if (!(batch >= 0 && batch < batchSize && batch == value)) {
            throw new IllegalArgumentException("RoI batch index " + value + " is not an image index in [0, " + batchSize + ")");
        }
        return batch;
    }

    /** N x C x H x W as an (N * H * W) x C table whose rows are pixels. */
    static Tensor channelsLast(Tensor features) {
        return features.permute(0, 2, 3, 1).reshape(-1, features.size(1));
    }

    /** (K * outH * outW) x C bin rows back to K x C x outH x outW. */
    static Tensor toOutput(Tensor pooled, long rois, long channels, int outH, int outW) {
        return pooled.view(rois, outH, outW, channels).permute(0, 3, 1, 2).contiguous();
    }
}
