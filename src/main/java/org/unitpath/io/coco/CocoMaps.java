package org.unitpath.io.coco;

import java.util.Arrays;
import java.util.List;
import org.unitpath.io.InstanceMap;

/** Between COCO annotations and instance maps. */
public final class CocoMaps {
    private CocoMaps() {}

    /** An instance map painted from annotations, with each label's category ({@code classes[0]} unused). */
    public record Painted(InstanceMap map, int[] classes) {}

    /**
     * Paints the annotations in the given order onto an empty canvas, each pixel keeping the
     * first annotation that claims it, and relabels 1..K in that order (annotations left with no
     * pixel vanish). This is how the paper's evaluator builds its instance maps.
     */
    public static Painted paint(int width, int height, List<CocoAnnotation> inOrder) {
        int[] ids = new int[Math.multiplyExact(width, height)];
        for (int k = 0; k < inOrder.size(); k++) {
            int[] counts = inOrder.get(k).segmentation().toRle(width, height).counts();
            long p = 0;
            for (int j = 0; j < counts.length; j++) {
                if (j % 2 == 1) {
                    for (long q = p; q < p + counts[j]; q++) {
                        int i = (int) (q % height) * width + (int) (q / height);
                        if (ids[i] == 0) {
                            ids[i] = k + 1;
                        }
                    }
                }
                p += counts[j];
            }
        }
        InstanceMap map = InstanceMap.relabel(width, height, ids);
        int[] classes = new int[map.count() + 1];
        for (int label = 1; label <= map.count(); label++) {
            classes[label] = inOrder.get(map.sourceIds()[label] - 1).categoryId();
        }
        return new Painted(map, classes);
    }

    /** Each label's mask as RLE ({@code [0]} is null), from one column-major pass over the map. */
    public static Rle[] rles(InstanceMap map) {
        int w = map.width();
        int h = map.height();
        int[] labels = map.labels();
        int[][] bounds = new int[map.count() + 1][];
        int[] used = new int[map.count() + 1];
        int prev = 0;
        int p = 0;
        for (int x = 0; x < w; x++) {
            for (int i = x; i < labels.length; i += w, p++) {
                int l = labels[i];
                if (l != prev) {
                    if (prev != 0) {
                        add(bounds, used, prev, p);
                    }
                    if (l != 0) {
                        add(bounds, used, l, p);
                    }
                    prev = l;
                }
            }
        }
        if (prev != 0) {
            add(bounds, used, prev, p);
        }
        Rle[] out = new Rle[map.count() + 1];
        for (int l = 1; l <= map.count(); l++) {
            int n = used[l];
            int[] counts = new int[n + 1];
            int last = 0;
            for (int j = 0; j < n; j++) {
                counts[j] = bounds[l][j] - last;
                last = bounds[l][j];
            }
            counts[n] = labels.length - last;
            out[l] = new Rle(h, w, counts);
        }
        return out;
    }

    private static void add(int[][] bounds, int[] used, int label, int position) {
        int[] b = bounds[label];
        if (b == null) {
            b = bounds[label] = new int[4];
        } else if (used[label] == b.length) {
            b = bounds[label] = Arrays.copyOf(b, 2 * b.length);
        }
        b[used[label]++] = position;
    }
}
