package org.unitpath.io.coco;

import java.util.Arrays;
import java.util.List;

/**
 * A binary mask in COCO run-length encoding, as pycocotools' {@code maskApi.c} defines it: the
 * pixels are read in <b>column-major</b> order (down the first column, then the next) and
 * {@code counts} alternate background and foreground run lengths, starting with a background run
 * (0 when the first pixel is foreground). Detectron2 and pycocotools share this convention.
 */
public record Rle(int height, int width, int[] counts) implements CocoSegmentation {
    public Rle {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("RLE size must not be negative, got " + height + "x" + width);
        }
        long total = 0;
        for (int c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("RLE counts must not be negative, got " + c);
            }
            total += c;
        }
        if (total != (long) height * width) {
            throw new IllegalArgumentException("RLE counts add up to " + total + " pixels, but the mask is "
                    + height + "x" + width + " = " + (long) height * width);
        }
    }

    /** Encodes a row-major 0/1 mask (any non-zero byte is foreground) of {@code width} x {@code height}. */
    public static Rle encode(byte[] rowMajorMask, int width, int height) {
        if (rowMajorMask.length != (long) width * height) {
            throw new IllegalArgumentException("mask has " + rowMajorMask.length + " pixels, expected " + width + "x" + height);
        }
        int[] runs = new int[16];
        int m = 0;
        boolean previous = false;
        int run = 0;
        for (int x = 0; x < width; x++) {
            for (int i = x; i < rowMajorMask.length; i += width) {
                boolean on = rowMajorMask[i] != 0;
                if (on != previous) {
                    if (m == runs.length) {
                        runs = Arrays.copyOf(runs, 2 * m);
                    }
                    runs[m++] = run;
                    run = 0;
                    previous = on;
                }
                run++;
            }
        }
        runs = Arrays.copyOf(runs, m + 1);
        runs[m] = run;
        return new Rle(height, width, runs);
    }

    /** The row-major 0/1 mask. */
    public byte[] decode() {
        byte[] mask = new byte[Math.multiplyExact(height, width)];
        long position = 0;
        for (int j = 0; j < counts.length; j++) {
            if (j % 2 == 1) {
                for (long p = position; p < position + counts[j]; p++) {
                    mask[(int) (p % height) * width + (int) (p / height)] = 1;
                }
            }
            position += counts[j];
        }
        return mask;
    }

    @Override
    public Rle toRle(int imageWidth, int imageHeight) {
        if (imageWidth != width || imageHeight != height) {
            throw new IllegalArgumentException("RLE of size " + height + "x" + width + " (height x width) on an image of "
                    + imageHeight + "x" + imageWidth);
        }
        return this;
    }

    /** Foreground pixel count. */
    public long area() {
        long a = 0;
        for (int j = 1; j < counts.length; j += 2) {
            a += counts[j];
        }
        return a;
    }

    /** The tight box {x, y, w, h} of the foreground ({0, 0, 0, 0} when empty), as {@code rleToBbox}. */
    public double[] bbox() {
        int m = counts.length / 2 * 2;
        if (m == 0 || height == 0) {
            return new double[4];
        }
        long xs = width;
        long ys = height;
        long xe = 0;
        long ye = 0;
        long cc = 0;
        long xp = 0;
        for (int j = 0; j < m; j++) {
            cc += counts[j];
            long t = cc - j % 2;
            long y = t % height;
            long x = (t - y) / height;
            if (j % 2 == 0) {
                xp = x;
            } else if (xp < x) { // the run wraps into the next column: it spans the full height
                ys = 0;
                ye = height - 1;
            }
            xs = Math.min(xs, x);
            xe = Math.max(xe, x);
            ys = Math.min(ys, y);
            ye = Math.max(ye, y);
        }
        return new double[] {xs, ys, xe - xs + 1, ye - ys + 1};
    }

    /**
     * Intersection over union with {@code other}, computed on the runs; when {@code other} is a
     * crowd region the union is this mask's area (pycocotools' {@code rleIou}, this = detection).
     */
    public double iou(Rle other, boolean otherIsCrowd) {
        if (other.height != height || other.width != width) {
            throw new IllegalArgumentException("masks of different sizes: " + height + "x" + width + " and "
                    + other.height + "x" + other.width);
        }
        long[] iu = intersectionAndUnion(other);
        if (iu[0] == 0) {
            return 0;
        }
        return iu[0] / (double) (otherIsCrowd ? area() : iu[1]);
    }

    /** {intersection, union} pixel counts with a mask of the same size, walking both run lists once. */
    long[] intersectionAndUnion(Rle other) {
        long[] iu = new long[2];
        walk(counts, other.counts, (c, va, vb) -> {
            if (va || vb) {
                iu[1] += c;
                if (va && vb) {
                    iu[0] += c;
                }
            }
        });
        return iu;
    }

    /** Receives the pieces on which neither mask changes: their length and whether each mask covers them. */
    private interface Pieces {
        void piece(long length, boolean inA, boolean inB);
    }

    /** Walks two run lists of one mask size together, as the loops of maskApi.c's rleIou and rleMerge do. */
    private static void walk(int[] a, int[] b, Pieces out) {
        if (a.length == 0 || b.length == 0) {
            return;
        }
        long ca = a[0];
        long cb = b[0];
        int ia = 1;
        int ib = 1;
        boolean va = false;
        boolean vb = false;
        long ct = 1;
        while (ct > 0) {
            long c = Math.min(ca, cb);
            out.piece(c, va, vb);
            ca -= c;
            if (ca == 0 && ia < a.length) {
                ca = a[ia++];
                va = !va;
            }
            cb -= c;
            if (cb == 0 && ib < b.length) {
                cb = b[ib++];
                vb = !vb;
            }
            ct = ca + cb;
        }
    }

    /** Union ({@code intersect} false) or intersection of masks of one size ({@code rleMerge}). */
    public static Rle merge(List<Rle> masks, boolean intersect) {
        if (masks.isEmpty()) {
            return new Rle(0, 0, new int[0]);
        }
        Rle first = masks.get(0);
        int[] acc = first.counts.clone();
        if (acc.length == 0) {
            return first;
        }
        for (int i = 1; i < masks.size(); i++) {
            Rle b = masks.get(i);
            if (b.height != first.height || b.width != first.width) {
                throw new IllegalArgumentException("cannot merge masks of sizes " + first.height + "x" + first.width
                        + " and " + b.height + "x" + b.width);
            }
            acc = mergeTwo(acc, b.counts, intersect);
        }
        return new Rle(first.height, first.width, acc);
    }

    private static int[] mergeTwo(int[] a, int[] b, boolean intersect) {
        int[] out = new int[a.length + b.length + 1];
        int[] m = {0};
        long[] run = {0};
        boolean[] value = {false};
        walk(a, b, (c, va, vb) -> {
            boolean v = intersect ? va && vb : va || vb;
            if (v != value[0]) {
                out[m[0]++] = (int) run[0];
                run[0] = 0;
                value[0] = v;
            }
            run[0] += c;
        });
        out[m[0]++] = (int) run[0];
        return Arrays.copyOf(out, m[0]);
    }

    /**
     * The counts as pycocotools' compressed string ({@code rleToString}): LEB128-like, 5 bits
     * per character offset by 48, each count from the third on stored as the difference to the
     * count two places before it.
     */
    public String compressedCounts() {
        StringBuilder s = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    /** Decodes {@link #compressedCounts()} ({@code rleFrString}); bad characters or counts fail clearly. */
    public static Rle fromCompressed(String counts, int height, int width) {
        int[] cnts = new int[counts.length()];
        int m = 0;
        int p = 0;
        while (p < counts.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= counts.length()) {
                    throw new IllegalArgumentException("compressed RLE counts end in the middle of a number");
                }
                int c = counts.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("compressed RLE counts contain '" + counts.charAt(p)
                            + "' at position " + p + " (characters '0'..'o' expected)");
                }
                if (k > 6) {
                    throw new IllegalArgumentException("compressed RLE count too long at position " + p);
                }
                x |= (long) (c & 0x1f) << 5 * k;
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << 5 * k;
                }
            }
            if (m > 2) {
                x += cnts[m - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("compressed RLE decodes to an invalid run length " + x);
            }
            cnts[m++] = (int) x;
        }
        return new Rle(height, width, Arrays.copyOf(cnts, m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Rle[" + height + "x" + width + ", counts=" + Arrays.toString(counts) + "]";
    }
}
