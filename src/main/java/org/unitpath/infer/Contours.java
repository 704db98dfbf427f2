package org.unitpath.infer;

import java.util.ArrayDeque;
import org.unitpath.seg.MaskPatch;

/**
 * Outlines of instance masks. A predicted mask may come in pieces and with holes; a nucleus is
 * taken to be its largest 4-connected piece with the holes filled ({@link #solidify}), so the
 * polygon, the label image, the COCO mask and the measurements all describe one solid region.
 *
 * <p>The outline ({@link #outline}) follows the region's outer pixel edges and joins their
 * midpoints, which cuts each corner pixel diagonally: what marching squares gives at level 0.5
 * (scikit-image's find_contours). Its length estimates the perimeter of the smooth shape (the
 * raw pixel edges overestimate a disc's by 4/pi), straight and 45-degree runs collapse to single
 * segments, and every pixel centre of the region lies strictly inside while every other lies
 * outside, so rasterising the ring at pixel centres gives the region back.
 */
public final class Contours {
    // edge directions, clockwise on a y-down image: east, south, west, north
    private static final int[] DX = {1, 0, -1, 0};
    private static final int[] DY = {0, 1, 0, -1};

    private Contours() {}

    /** The largest 4-connected piece of {@code mask} with its holes filled, cropped to its box; null if the mask is empty. */
    public static MaskPatch solidify(MaskPatch mask) {
        int w = mask.width;
        int h = mask.height;
        boolean[] bits = mask.toArray();
        int[] component = new int[w * h];
        int best = 0;
        int bestSize = 0;
        int label = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < bits.length; start++) {
            if (!bits[start] || component[start] != 0) {
                continue;
            }
            label++;
            int size = flood(bits, component, w, h, start, label, true, queue);
            if (size > bestSize) {
                bestSize = size;
                best = label;
            }
        }
        if (best == 0) {
            return null;
        }
        // background reachable from outside through 8-connected steps is outside; the rest are holes
        int pw = w + 2;
        int ph = h + 2;
        boolean[] padded = new boolean[pw * ph];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                padded[(y + 1) * pw + x + 1] = component[y * w + x] == best;
            }
        }
        int[] outside = new int[pw * ph];
        flood(padded, outside, pw, ph, 0, 1, false, queue);
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (outside[(y + 1) * pw + x + 1] == 0) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        int cw = x1 - x0 + 1;
        int ch = y1 - y0 + 1;
        boolean[] solid = new boolean[cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                solid[y * cw + x] = outside[(y + y0 + 1) * pw + x + x0 + 1] == 0;
            }
        }
        return new MaskPatch(mask.x + x0, mask.y + y0, cw, ch, solid);
    }

    /**
     * Labels with {@code label} the pixels connected to {@code start} that have the value
     * {@code bits[start]}: 4-connected for foreground ({@code four}), 8-connected otherwise.
     */
    private static int flood(boolean[] bits, int[] labels, int w, int h, int start, int label, boolean four,
            ArrayDeque<Integer> queue) {
        boolean value = bits[start];
        labels[start] = label;
        queue.add(start);
        int size = 0;
        while (!queue.isEmpty()) {
            int p = queue.poll();
            size++;
            int x = p % w;
            int y = p / w;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if ((dx == 0 && dy == 0) || (four && dx != 0 && dy != 0)) {
                        continue;
                    }
                    int nx = x + dx;
                    int ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                        int q = ny * w + nx;
                        if (labels[q] == 0 && bits[q] == value) {
                            labels[q] = label;
                            queue.add(q);
                        }
                    }
                }
            }
        }
        return size;
    }

    /**
     * The outer outline of a region (4-connected, as {@link #solidify} returns it) in image
     * pixels, counter-clockwise in RFC 7946's sense ({@link Ring#signedArea} > 0), without
     * collinear vertices.
     */
    public static Ring outline(MaskPatch region) {
        int w = region.width;
        int h = region.height;
        boolean[] bits = region.toArray();
        int first = -1;
        for (int i = 0; i < bits.length && first < 0; i++) {
            first = bits[i] ? i : -1;
        }
        if (first < 0) {
            throw new IllegalArgumentException("cannot outline an empty mask");
        }
        // walk the pixel edges with the region on the right-hand side (y down), starting east along
        // the top edge of the first pixel; on a diagonal touch turn right, which keeps pieces that
        // touch only at a corner apart (4-connectivity)
        int sx = first % w;
        int sy = first / w;
        int vx = sx;
        int vy = sy;
        int dir = 0;
        DoubleList mids = new DoubleList();
        do {
            mids.add(vx + DX[dir] * 0.5, vy + DY[dir] * 0.5);
            vx += DX[dir];
            vy += DY[dir];
            boolean frontRight = pixel(bits, w, h, vx, vy, frontRightDx(dir), frontRightDy(dir));
            boolean frontLeft = pixel(bits, w, h, vx, vy, frontLeftDx(dir), frontLeftDy(dir));
            if (!frontRight) {
                dir = (dir + 1) % 4;
            } else if (frontLeft) {
                dir = (dir + 3) % 4;
            }
        } while (vx != sx || vy != sy || dir != 0);
        Ring ring = new Ring(simplified(mids, region.x, region.y));
        return ring.signedArea() > 0 ? ring : ring.reversed();
    }

    /** Pixel at vertex (vx, vy) + offset, where offsets in {-1, 0} pick one of the four pixels around the vertex. */
    private static boolean pixel(boolean[] bits, int w, int h, int vx, int vy, int ox, int oy) {
        int x = vx + ox;
        int y = vy + oy;
        return x >= 0 && y >= 0 && x < w && y < h && bits[y * w + x];
    }

    // the pixels ahead of a vertex, on the right and left of the walking direction
    private static int frontRightDx(int dir) {
        return dir == 0 || dir == 3 ? 0 : -1;
    }

    private static int frontRightDy(int dir) {
        return dir == 0 || dir == 1 ? 0 : -1;
    }

    private static int frontLeftDx(int dir) {
        return dir == 0 || dir == 1 ? 0 : -1;
    }

    private static int frontLeftDy(int dir) {
        return dir == 1 || dir == 2 ? 0 : -1;
    }

    /** The edge midpoints without those between collinear neighbours, shifted by (ox, oy) and closed. */
    private static double[] simplified(DoubleList mids, int ox, int oy) {
        int n = mids.size() / 2;
        DoubleList out = new DoubleList();
        for (int i = 0; i < n; i++) {
            int prev = (i + n - 1) % n;
            int next = (i + 1) % n;
            double ax = mids.get(2 * i) - mids.get(2 * prev);
            double ay = mids.get(2 * i + 1) - mids.get(2 * prev + 1);
            double bx = mids.get(2 * next) - mids.get(2 * i);
            double by = mids.get(2 * next + 1) - mids.get(2 * i + 1);
            if (ax * by - ay * bx != 0) {
                out.add(mids.get(2 * i) + ox, mids.get(2 * i + 1) + oy);
            }
        }
        out.add(out.get(0), out.get(1));
        return out.toArray();
    }

    /** A growable list of doubles, so long outlines do not box every coordinate. */
    private static final class DoubleList {
        private double[] values = new double[64];
        private int size;

        void add(double a, double b) {
            if (size + 2 > values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = a;
            values[size++] = b;
        }

        double get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
