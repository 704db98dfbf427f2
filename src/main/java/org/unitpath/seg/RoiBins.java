package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * RoIAlign as a sparse linear map: every output bin of every RoI is a weighted sum of feature
 * map pixels, built here on the host with torchvision's float32 sampling arithmetic and applied
 * with one {@code embedding_bag} (weighted sum of rows) over a channels-last table of the
 * feature pixels. libtorch differentiates that with respect to the table, so the gradient
 * reaches the features as torchvision's RoIAlign backward would distribute it.
 *
 * <p>The bilinear weight of a sample is a product of a y factor and an x factor, and a sample
 * is skipped when either coordinate is out of range, so a bin's pixel weights factor into
 * (sum of y weights per row) x (sum of x weights per column) / sample count. Building them per
 * axis keeps the map small: a bin touches about (grid + 1)^2 pixels instead of 4 * grid^2.
 */
final class RoiBins {
    /** Samples per bin and axis beyond which a RoI is taken for a coordinate error (a 4096-px box on a 7-bin axis needs 586). */
    private static final int MAX_GRID = 1 << 14;
    private final int outH;
    private final int outW;
    private long[] index = new long[1024];
    private float[] weight = new float[1024];
    private long[] offsets = new long[64];
    private int size;
    private int bins;
    private final Axis rows;
    private final Axis cols;

    RoiBins(int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("RoIAlign output size must be positive, got " + outH + " x " + outW);
        }
        this.outH = outH;
        this.outW = outW;
        this.rows = new Axis(outH);
        this.cols = new Axis(outW);
    }

    /**
     * Adds the bins of one RoI, given in image coordinates, on a feature map of
     * {@code height x width} whose pixel (batch, 0, 0) is row {@code base + batch * height * width}
     * of the table.
     */
    void add(long base, int batch, int height, int width, float x0, float y0, float x1, float y1, float scale,
            int samplingRatio, boolean aligned) {
        float offset = aligned ? 0.5f : 0f;
        float startW = x0 * scale - offset;
        float startH = y0 * scale - offset;
        float endW = x1 * scale - offset;
        float endH = y1 * scale - offset;
        float roiW = endW - startW;
        float roiH = endH - startH;
        if (!aligned) {
            roiW = Math.max(roiW, 1f);
            roiH = Math.max(roiH, 1f);
        }
        float binH = roiH / outH;
        float binW = roiW / outW;
        int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiH / outH);
        int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiW / outW);
        if (gridH > MAX_GRID || gridW > MAX_GRID) {
            throw new IllegalArgumentException("RoI (" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + ") needs a " + gridH + " x "
                    + gridW + " sampling grid per bin; coordinates must be finite and sensible for scale " + scale);
        }
        float count = Math.max(gridH * gridW, 1);
        rows.fill(startH, binH, gridH, height);
        cols.fill(startW, binW, gridW, width);
        long mapBase = base + (long) batch * height * width;
        for (int ph = 0; ph < outH; ph++) {
            for (int pw = 0; pw < outW; pw++) {
                if (bins == offsets.length) {
                    offsets = Arrays.copyOf(offsets, bins * 2);
                }
                offsets[bins++] = size;
                for (int r = rows.start[ph]; r < rows.start[ph + 1]; r++) {
                    long rowBase = mapBase + (long) rows.pos[r] * width;
                    for (int c = cols.start[pw]; c < cols.start[pw + 1]; c++) {
                        push(rowBase + cols.pos[c], rows.weight[r] * cols.weight[c] / count);
                    }
                }
            }
        }
    }

    private void push(long i, float w) {
        if (size == index.length) {
            index = Arrays.copyOf(index, size * 2);
            weight = Arrays.copyOf(weight, size * 2);
        }
        index[size] = i;
        weight[size++] = w;
    }

    /** The bins' weighted sums over the rows of {@code table} (pixels x C): (bins) x C. */
    Tensor apply(Tensor table) {
        Tensor idx = HostArrays.longs(index, size, table);
        Tensor off = HostArrays.longs(offsets, bins, table);
        Tensor w = HostArrays.floats(weight, size, table);
        return torch.embedding_bag(table, idx, off, false, 0, false, new TensorOptional(w), false).get0();
    }

    /**
     * Per output cell along one axis, the distinct pixel positions its samples touch and their
     * summed one-dimensional bilinear weights (torchvision's edge rules: samples beyond
     * [-1, size] are skipped, coordinates are clamped at 0 and at size - 1).
     */
    private static final class Axis {
        final int out;
        final int[] start;
        int[] pos = new int[64];
        float[] weight = new float[64];

        Axis(int out) {
            this.out = out;
            this.start = new int[out + 1];
        }

        void fill(float roiStart, float bin, int grid, int size) {
            int n = 0;
            int capacity = out * 2 * Math.max(grid, 0);
            if (pos.length < capacity) {
                pos = new int[capacity];
                weight = new float[capacity];
            }
            for (int p = 0; p < out; p++) {
                start[p] = n;
                for (int i = 0; i < grid; i++) {
                    float c = roiStart + p * bin + (i + .5f) * bin / grid;
                    if (!(c >= -1f && c <= size)) {
                        continue;
                    }
                    if (c <= 0) {
                        c = 0;
                    }
                    int low = (int) c;
                    int high;
                    if (low >= size - 1) {
                        high = low = size - 1;
                        c = low;
                    } else {
                        high = low + 1;
                    }
                    float l = c - low;
                    float h = 1f - l;
                    n = put(p, n, low, h);
                    n = put(p, n, high, l);
                }
            }
            start[out] = n;
        }

        /** Adds weight {@code w} at {@code position}, merged into the previous entry of cell {@code p} when it is the same pixel. */
        private int put(int p, int n, int position, float w) {
            if (n > start[p] && pos[n - 1] == position) {
                weight[n - 1] += w;
                return n;
            }
            pos[n] = position;
            weight[n] = w;
            return n + 1;
        }
    }
}
