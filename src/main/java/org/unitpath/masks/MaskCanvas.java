package org.unitpath.masks;

import java.util.Arrays;

/**
 * One synthetic canvas: the instance map (0 = background, 1..K = nuclei, a partition because a
 * later nucleus takes the pixels it covers), the class of each nucleus and its textured grey
 * levels. {@link #finish} drops slivers, numbers the nuclei 1..K and marks their contours.
 */
public final class MaskCanvas {
    public static final int SCATTERED = 0;
    public static final int ARRANGED = 1;
    private static final int MIN_AREA = 25;

    final int size;
    private int[] labels;
    private final byte[] fill;
    private int[] classes = new int[64];
    private int count;
    private boolean[] contour;
    private int[] buffer = new int[4096];

    MaskCanvas(int size) {
        this.size = size;
        labels = new int[size * size];
        fill = new byte[size * size];
    }

    /**
     * Paints a nucleus unless more than {@code maxOverlap} of its in-canvas pixels already belong
     * to others (or none of it is on the canvas). Returns whether it was painted.
     */
    boolean paint(NucleusShape s, int cls, Texture texture, double maxOverlap) {
        int r = (int) Math.ceil(s.reach());
        int x0 = Math.max(0, (int) Math.floor(s.cx) - r);
        int x1 = Math.min(size - 1, (int) Math.ceil(s.cx) + r);
        int y0 = Math.max(0, (int) Math.floor(s.cy) - r);
        int y1 = Math.min(size - 1, (int) Math.ceil(s.cy) + r);
        int n = 0;
        int overlapped = 0;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (s.contains(x + 0.5, y + 0.5)) {
                    int i = y * size + x;
                    if (n == buffer.length) {
                        buffer = Arrays.copyOf(buffer, 2 * n);
                    }
                    buffer[n++] = i;
                    if (labels[i] != 0) {
                        overlapped++;
                    }
                }
            }
        }
        if (n < MIN_AREA || overlapped > maxOverlap * n) {
            return false;
        }
        if (count + 1 == classes.length) {
            classes = Arrays.copyOf(classes, 2 * classes.length);
        }
        int id = ++count;
        classes[id] = cls;
        for (int k = 0; k < n; k++) {
            int i = buffer[k];
            labels[i] = id;
            fill[i] = (byte) texture.at(i % size, i / size);
        }
        return true;
    }

    /** Whether pixel (x, y) of the canvas is already part of a nucleus. */
    boolean occupied(int x, int y) {
        return labels[y * size + x] != 0;
    }

    /** Drops nuclei left smaller than a sliver by later ones, renumbers 1..K and computes contours. */
    void finish() {
        int[] area = new int[count + 1];
        for (int l : labels) {
            area[l]++;
        }
        int[] newId = new int[count + 1];
        int[] newClasses = new int[count + 1];
        int k = 0;
        for (int id = 1; id <= count; id++) {
            if (area[id] >= MIN_AREA) {
                newId[id] = ++k;
                newClasses[k] = classes[id];
            }
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = newId[labels[i]];
            if (labels[i] == 0) {
                fill[i] = 0;
            }
        }
        classes = newClasses;
        count = k;
        contour = new boolean[labels.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                int l = labels[i];
                contour[i] = l != 0 && ((x > 0 && labels[i - 1] != l) || (x < size - 1 && labels[i + 1] != l)
                        || (y > 0 && labels[i - size] != l) || (y < size - 1 && labels[i + size] != l));
            }
        }
    }

    public int size() {
        return size;
    }

    /** Number of nuclei (after {@link #finish}). */
    public int count() {
        return count;
    }

    /** The instance map, row-major (live array; do not modify). */
    public int[] labels() {
        return labels;
    }

    /** Class of nucleus {@code id}: {@link #SCATTERED} or {@link #ARRANGED}. */
    public int classOf(int id) {
        return classes[id];
    }

    /** The multichannel mask image of the square (x, y, side): R contour, G scattered fill, B arranged fill. */
    public byte[] multichannel(int x0, int y0, int side) {
        byte[] rgb = new byte[3 * side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int i = (y0 + y) * size + x0 + x;
                int l = labels[i];
                if (l == 0) {
                    continue;
                }
                int o = 3 * (y * side + x);
                rgb[o] = contour[i] ? (byte) 255 : 0;
                rgb[o + 1 + classes[l]] = fill[i];
            }
        }
        return rgb;
    }
}
