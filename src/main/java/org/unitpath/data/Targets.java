package org.unitpath.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training targets from an instance-map crop, as the release's {@code get_target}: a crop with
 * no background or no instance at least 2 px wide and tall is rejected; instances are
 * renumbered and each gets a binary mask and a tight box.
 */
public final class Targets {
    private Targets() {}

    /**
     * Zeroes instances whose box is at most 1 px wide or tall (the release skips them) and
     * returns whether the crop is usable: some background and at least one instance left.
     */
    public static boolean keepValid(int[] labels, int size) {
        boolean background = false;
        int max = 0;
        for (int l : labels) {
            background |= l == 0;
            max = Math.max(max, l);
        }
        if (!background || max == 0) {
            return false;
        }
        int[][] box = boxes(labels, size, max);
        boolean any = false;
        boolean[] drop = new boolean[max + 1];
        for (int id = 1; id <= max; id++) {
            if (box[id] == null) {
                continue;
            }
            drop[id] = box[id][2] - box[id][0] <= 1 || box[id][3] - box[id][1] <= 1;
            any |= !drop[id];
        }
        for (int i = 0; i < labels.length; i++) {
            if (drop[labels[i]]) {
                labels[i] = 0;
            }
        }
        return any;
    }

    /** The instances of a label map, in increasing id order, each with its mask and tight box. */
    public static List<Instance> instances(int[] labels, int size) {
        int max = Arrays.stream(labels).max().orElse(0);
        int[][] box = boxes(labels, size, max);
        List<Instance> out = new ArrayList<>();
        for (int id = 1; id <= max; id++) {
            if (box[id] == null) {
                continue;
            }
            byte[] mask = new byte[labels.length];
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == id) {
                    mask[i] = 1;
                }
            }
            out.add(new Instance(box[id][0], box[id][1], box[id][2], box[id][3], mask));
        }
        return out;
    }

    /** Binary nucleus map (1 = nucleus) for semantic guidance. */
    public static byte[] semantic(int[] labels) {
        byte[] out = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = (byte) (labels[i] != 0 ? 1 : 0);
        }
        return out;
    }

    /** Tight boxes {x0, y0, x1 + 1, y1 + 1} per id (null where the id is absent). */
    private static int[][] boxes(int[] labels, int size, int max) {
        int[][] box = new int[max + 1][];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l == 0) {
                continue;
            }
            int x = i % size;
            int y = i / size;
            if (box[l] == null) {
                box[l] = new int[] {x, y, x + 1, y + 1};
            } else {
                box[l][0] = Math.min(box[l][0], x);
                box[l][1] = Math.min(box[l][1], y);
                box[l][2] = Math.max(box[l][2], x + 1);
                box[l][3] = Math.max(box[l][3], y + 1);
            }
        }
        return box;
    }
}
