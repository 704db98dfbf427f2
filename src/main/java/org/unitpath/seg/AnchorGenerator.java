package org.unitpath.seg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * Detectron2's {@code DefaultAnchorGenerator}: at every location of every feature level, one
 * anchor per (size, aspect ratio) of that level, centred at ((x + offset) * stride,
 * (y + offset) * stride). An anchor of size s and ratio a = h / w has w = sqrt(s^2 / a),
 * h = a * w. Anchors are CPU float32 tensors in XYXY_ABS.
 */
public final class AnchorGenerator {
    private final double[][] sizes;
    private final double[] aspectRatios;
    private final int[] strides;
    private final double offset;
    private final float[][] cellAnchors;

    /**
     * @param sizesPerLevel anchor sizes (sqrt of the area, in image pixels) per level; a single
     *     row is used for every level, as Detectron2 broadcasts it
     * @param aspectRatios heights / widths, the same on every level
     * @param strides the stride of each level
     * @param offset anchor centre offset in [0, 1) of a stride (0.5 = cell centre)
     */
    public AnchorGenerator(double[][] sizesPerLevel, double[] aspectRatios, int[] strides, double offset) {
        if (strides.length == 0) {
            throw new IllegalArgumentException("an anchor generator needs at least one level stride");
        }
        if (sizesPerLevel.length != 1 && sizesPerLevel.length != strides.length) {
            throw new IllegalArgumentException("anchor sizes are given for " + sizesPerLevel.length
                    + " levels, but there are " + strides.length + " strides (give one row, or one per level)");
        }
        if (aspectRatios.length == 0) {
            throw new IllegalArgumentException("an anchor generator needs at least one aspect ratio");
        }
        if (!(offset >= 0.0 && offset < 1.0)) {
            throw new IllegalArgumentException("anchor offset must be in [0, 1), got " + offset);
        }
        for (int s : strides) {
            if (s <= 0) {
                throw new IllegalArgumentException("anchor strides must be positive, got " + Arrays.toString(strides));
            }
        }
        for (double a : aspectRatios) {
            if (!(a > 0) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("aspect ratios must be positive, got " + Arrays.toString(aspectRatios));
            }
        }
        this.sizes = new double[strides.length][];
        for (int l = 0; l < strides.length; l++) {
            double[] row = sizesPerLevel[sizesPerLevel.length == 1 ? 0 : l];
            if (row.length == 0 || row.length != sizesPerLevel[0].length) {
                throw new IllegalArgumentException("every level needs the same, non-zero number of anchor sizes, got "
                        + Arrays.deepToString(sizesPerLevel));
            }
            this.sizes[l] = row.clone();
        }
        this.aspectRatios = aspectRatios.clone();
        this.strides = strides.clone();
        this.offset = offset;
        this.cellAnchors = new float[strides.length][];
        for (int l = 0; l < strides.length; l++) {
            cellAnchors[l] = cellAnchors(sizes[l], this.aspectRatios);
        }
    }

    /** Anchors centred at (0, 0), sizes major and ratios minor, computed in double and stored as float32 as Detectron2 does. */
    private static float[] cellAnchors(double[] sizes, double[] ratios) {
        float[] out = new float[sizes.length * ratios.length * 4];
        int i = 0;
        for (double size : sizes) {
            double area = size * size;
            for (double ratio : ratios) {
                double w = Math.sqrt(area / ratio);
                double h = ratio * w;
                out[i++] = (float) (-w / 2.0);
                out[i++] = (float) (-h / 2.0);
                out[i++] = (float) (w / 2.0);
                out[i++] = (float) (h / 2.0);
            }
        }
        return out;
    }

    public int anchorsPerLocation() {
        return sizes[0].length * aspectRatios.length;
    }

    public int levels() {
        return strides.length;
    }

    /** The cell anchors of one level, A x 4. */
    public Tensor cellAnchors(int level) {
        return Tensors.of(cellAnchors[level], anchorsPerLocation(), 4);
    }

    /**
     * The anchors of each level for feature maps of the given (height, width): (H * W * A) x 4
     * per level, location-major (row, then column) with the cell anchors minor.
     */
    public List<Tensor> anchors(List<long[]> featureHeightWidth) {
        if (featureHeightWidth.size() != strides.length) {
            throw new IllegalArgumentException("anchors for " + featureHeightWidth.size() + " feature maps asked, but the "
                    + "generator has " + strides.length + " levels");
        }
        Torch.init();
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < strides.length; l++) {
            long[] hw = featureHeightWidth.get(l);
            if (hw.length != 2 || hw[0] < 0 || hw[1] < 0) {
                throw new IllegalArgumentException("feature size of level " + l + " must be {height, width} >= 0, got "
                        + Arrays.toString(hw));
            }
            Tensor shiftX = shifts(hw[1], strides[l]);
            Tensor shiftY = shifts(hw[0], strides[l]);
            long h = hw[0];
            long w = hw[1];
            Tensor sx = shiftX.unsqueeze(0).expand(new long[] {h, w}).reshape(-1);
            Tensor sy = shiftY.unsqueeze(1).expand(new long[] {h, w}).reshape(-1);
            Tensor shifts = torch.stack(new TensorVector(sx, sy, sx, sy), 1);
            out.add(shifts.view(-1, 1, 4).add(cellAnchors(l).view(1, -1, 4)).reshape(-1, 4));
        }
        return out;
    }

    /** Detectron2's float32 {@code arange(offset * stride, size * stride, step=stride)}. */
    private Tensor shifts(long size, int stride) {
        if (size == 0) {
            return Tensors.zeros(0);
        }
        return torch.arange(F.scalar(offset * stride), F.scalar((double) size * stride), F.scalar((double) stride),
                new TensorOptions(ScalarType.Float));
    }
}
