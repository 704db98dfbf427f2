package org.unitpath.io;

import java.util.Arrays;

/**
 * A nucleus instance map with contiguous labels: row-major {@code labels}, 0 = background,
 * nuclei 1..{@code count}; {@code sourceIds[k]} is the id label k had in its file (index 0 is
 * unused). Build it with {@link #relabel}, which keeps the order of the source ids (HoVer-Net's
 * {@code remap_label}).
 */
public record InstanceMap(int width, int height, int[] labels, int count, int[] sourceIds) {
    public InstanceMap {
        if (width < 0 || height < 0 || (long) width * height != labels.length) {
            throw new IllegalArgumentException(width + "x" + height + " instance map needs " + (long) width * height
                    + " labels, got " + labels.length);
        }
        if (sourceIds.length != count + 1) {
            throw new IllegalArgumentException("an instance map of " + count + " nuclei needs " + (count + 1)
                    + " source ids, got " + sourceIds.length);
        }
    }

    /**
     * Relabels arbitrary non-negative ids to 1..K in increasing id order ({@code ids} is not
     * modified). Sparse or huge ids are fine; negative ids are refused.
     */
    public static InstanceMap relabel(int width, int height, int[] ids) {
        int max = 0;
        for (int v : ids) {
            if (v < 0) {
                throw new IllegalArgumentException("instance ids must not be negative, found " + v);
            }
            max = Math.max(max, v);
        }
        int[] labels = new int[ids.length];
        if (max <= Math.max(1 << 16, 4L * ids.length)) {
            int[] lut = new int[max + 1];
            for (int v : ids) {
                lut[v] = 1;
            }
            lut[0] = 0;
            int k = 0;
            for (int v = 1; v <= max; v++) {
                if (lut[v] != 0) {
                    lut[v] = ++k;
                }
            }
            int[] source = new int[k + 1];
            for (int v = 1; v <= max; v++) {
                if (lut[v] != 0) {
                    source[lut[v]] = v;
                }
            }
            for (int i = 0; i < ids.length; i++) {
                labels[i] = lut[ids[i]];
            }
            return new InstanceMap(width, height, labels, k, source);
        }
        int[] sorted = Arrays.stream(ids).filter(v -> v != 0).distinct().sorted().toArray();
        for (int i = 0; i < ids.length; i++) {
            labels[i] = ids[i] == 0 ? 0 : Arrays.binarySearch(sorted, ids[i]) + 1;
        }
        int[] source = new int[sorted.length + 1];
        System.arraycopy(sorted, 0, source, 1, sorted.length);
        return new InstanceMap(width, height, labels, sorted.length, source);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceMap m && m.width == width && m.height == height && m.count == count
                && Arrays.equals(m.labels, labels) && Arrays.equals(m.sourceIds, sourceIds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "InstanceMap[" + width + "x" + height + ", " + count + " instances]";
    }
}
