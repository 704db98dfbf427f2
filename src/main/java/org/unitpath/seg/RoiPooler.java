package org.unitpath.seg;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;

/**
 * Detectron2's {@code ROIPooler} with ROIAlignV2 (aligned RoIAlign) over an FPN: each box is
 * pooled from the level floor(canonicalLevel + log2(sqrt(area) / canonicalBoxSize + 1e-8)),
 * clamped to the available levels (FPN paper, eq. 1; a 224 x 224 box goes to level 4). All
 * levels are pooled by one sparse gather over the concatenated feature maps, so the output rows
 * come out in box order directly.
 */
public final class RoiPooler {
    private final int outputSize;
    private final double[] scales;
    private final int samplingRatio;
    private final int canonicalBoxSize;
    private final int canonicalLevel;
    private final int minLevel;
    private final int maxLevel;

    /**
     * @param scales 1 / stride of each feature level, finest first, halving from level to level
     *     (e.g. 1/4, 1/8, 1/16, 1/32 for P2..P5)
     */
    public RoiPooler(int outputSize, double[] scales, int samplingRatio, int canonicalBoxSize, int canonicalLevel) {
        if (outputSize <= 0) {
            throw new IllegalArgumentException("pooler output size must be positive, got " + outputSize);
        }
        if (scales.length == 0) {
            throw new IllegalArgumentException("a pooler needs at least one feature scale");
        }
        if (samplingRatio < 0) {
            throw new IllegalArgumentException("sampling ratio must be >= 0 (0 = adaptive), got " + samplingRatio);
        }
        if (canonicalBoxSize <= 0) {
            throw new IllegalArgumentException("canonical box size must be positive, got " + canonicalBoxSize);
        }
        double first = -log2(scales[0]);
        double last = -log2(scales[scales.length - 1]);
        if (Math.abs(first - Math.rint(first)) > 1e-9 || Math.abs(last - Math.rint(last)) > 1e-9 || first < 0) {
            throw new IllegalArgumentException("pooler scales must be 1 / (a power of 2), got " + Arrays.toString(scales));
        }
        this.minLevel = (int) Math.rint(first);
        this.maxLevel = (int) Math.rint(last);
        if (maxLevel - minLevel + 1 != scales.length) {
            throw new IllegalArgumentException("pooler scales must form a pyramid halving at each level, got "
                    + Arrays.toString(scales));
        }
        this.outputSize = outputSize;
        this.scales = scales.clone();
        this.samplingRatio = samplingRatio;
        this.canonicalBoxSize = canonicalBoxSize;
        this.canonicalLevel = canonicalLevel;
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /**
     * Pools every box of every image from its level.
     *
     * @param features one N x C x H x W map per level, finest first
     * @param boxesPerImage N tensors of K_i x 4 boxes in image coordinates
     * @return (sum K_i) x C x S x S, boxes in image order
     */
    public Tensor pool(List<Tensor> features, List<Tensor> boxesPerImage) {
        if (features.size() != scales.length) {
            throw new IllegalArgumentException("pooler built for " + scales.length + " levels got " + features.size()
                    + " feature maps");
        }
        Tensor first = features.get(0);
        for (Tensor f : features) {
            RoiAlign.checkFeatures(f);
            if (f.size(0) != first.size(0) || f.size(1) != first.size(1)) {
                throw new IllegalArgumentException("pooler feature maps must share batch and channel sizes, got "
                        + Arrays.toString(first.shape()) + " and " + Arrays.toString(f.shape()));
            }
        }
        if (boxesPerImage.size() != first.size(0)) {
            throw new IllegalArgumentException("pooler got boxes for " + boxesPerImage.size() + " images but features for "
                    + first.size(0));
        }
        for (Tensor b : boxesPerImage) {
            Boxes.check(b, "pooler boxes");
        }
        long channels = first.size(1);
        if (boxesPerImage.isEmpty()) {
            return first.new_zeros(0, channels, outputSize, outputSize);
        }
        Tensor boxes = torch.cat(new TensorVector(boxesPerImage.toArray(new Tensor[0])), 0);
        long[] level = HostArrays.toLongs(levels(boxes));
        float[] b = HostArrays.toFloats(boxes);
        long[] base = new long[features.size()];
        TensorVector tables = new TensorVector();
        long rows = 0;
        for (int l = 0; l < features.size(); l++) {
            base[l] = rows;
            Tensor f = features.get(l);
            rows += f.size(0) * f.size(2) * f.size(3);
            tables.push_back(RoiAlign.channelsLast(f));
        }
        RoiBins bins = new RoiBins(outputSize, outputSize);
        int k = 0;
        for (int image = 0; image < boxesPerImage.size(); image++) {
            for (long i = 0; i < boxesPerImage.get(image).size(0); i++, k++) {
                int l = (int) level[k];
                Tensor f = features.get(l);
                bins.add(base[l], image, (int) f.size(2), (int) f.size(3), b[4 * k], b[4 * k + 1], b[4 * k + 2],
                        b[4 * k + 3], (float) scales[l], samplingRatio, true);
            }
        }
        Tensor table = features.size() == 1 ? tables.get(0) : torch.cat(tables, 0);
        return RoiAlign.toOutput(bins.apply(table), k, channels, outputSize, outputSize);
    }

    /** The level index (0 = the finest given level) of each box, with Detectron2's float32 arithmetic. */
    public Tensor levels(Tensor boxes) {
        Boxes.check(boxes, "pooler boxes");
        Tensor sizes = Boxes.area(boxes).sqrt();
        Tensor level = sizes.div(F.scalar((long) canonicalBoxSize)).add(F.scalar(1e-8)).log2()
                .add(F.scalar((long) canonicalLevel)).floor();
        return level.clamp_min(F.scalar((long) minLevel)).clamp_max(F.scalar((long) maxLevel))
                .to(ScalarType.Long).sub(F.scalar((long) minLevel));
    }
}
