package org.unitpath.eval;

import java.util.Arrays;
import org.unitpath.io.InstanceMap;

/**
 * Every overlapping (ground truth, prediction) pair of two instance maps with its intersection,
 * plus the instance areas, from one pass over the pixels. Pairs are sorted by truth label, then
 * prediction label (the order numpy's {@code nonzero} gives HoVer-Net).
 */
final class InstanceOverlap {
    final int truthCount;
    final int predCount;
    /** Pixels per truth / prediction label; index 0 is the background. */
    final long[] truthArea;
    final long[] predArea;
    /** Pair i is truth label pairTruth[i] with prediction label pairPred[i], sharing pairInter[i] pixels. */
    final int[] pairTruth;
    final int[] pairPred;
    final long[] pairInter;

    InstanceOverlap(InstanceMap truth, InstanceMap pred) {
        if (truth.width() != pred.width() || truth.height() != pred.height()) {
            throw new IllegalArgumentException("ground truth is " + truth.width() + "x" + truth.height()
                    + " but the prediction is " + pred.width() + "x" + pred.height());
        }
        truthCount = truth.count();
        predCount = pred.count();
        truthArea = new long[truthCount + 1];
        predArea = new long[predCount + 1];
        int[] t = truth.labels();
        int[] p = pred.labels();
        long stride = predCount + 1L;
        PairCounts counts = new PairCounts();
        long runKey = -1;
        long run = 0;
        for (int i = 0; i < t.length; i++) {
            int a = t[i];
            int b = p[i];
            truthArea[a]++;
            predArea[b]++;
            if (a != 0 && b != 0) {
                long key = a * stride + b;
                if (key != runKey) {
                    if (run > 0) {
                        counts.add(runKey, run);
                    }
                    runKey = key;
                    run = 0;
                }
                run++;
            }
        }
        if (run > 0) {
            counts.add(runKey, run);
        }
        long[] keys = counts.keys();
        Arrays.sort(keys);
        pairTruth = new int[keys.length];
        pairPred = new int[keys.length];
        pairInter = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            pairTruth[i] = (int) (keys[i] / stride);
            pairPred[i] = (int) (keys[i] % stride);
            pairInter[i] = counts.get(keys[i]);
        }
    }

    int pairs() {
        return pairInter.length;
    }

    long union(int pair) {
        return truthArea[pairTruth[pair]] + predArea[pairPred[pair]] - pairInter[pair];
    }

    /** IoU as HoVer-Net's PQ computes it: inter / (total - inter). */
    double iou(int pair) {
        return pairInter[pair] / (double) union(pair);
    }

    /** Strictly above one half, decided on integers (no rounding at exact ties). */
    boolean iouAboveHalf(int pair) {
        return 2 * pairInter[pair] > union(pair);
    }

    boolean iouAtLeastHalf(int pair) {
        return 2 * pairInter[pair] >= union(pair);
    }

    long truthPixels() {
        return sumFrom1(truthArea);
    }

    long predPixels() {
        return sumFrom1(predArea);
    }

    long sharedPixels() {
        long s = 0;
        for (long v : pairInter) {
            s += v;
        }
        return s;
    }

    private static long sumFrom1(long[] a) {
        long s = 0;
        for (int i = 1; i < a.length; i++) {
            s += a[i];
        }
        return s;
    }

    /** Open-addressing long -> long counts: a few thousand pairs per image without boxing. */
    private static final class PairCounts {
        private long[] keys = new long[1024];
        private long[] values = new long[1024];
        private int size;

        PairCounts() {
            Arrays.fill(keys, -1);
        }

        void add(long key, long v) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int i = slot(keys, key);
            if (keys[i] == -1) {
                keys[i] = key;
                size++;
            }
            values[i] += v;
        }

        long get(long key) {
            return values[slot(keys, key)];
        }

        long[] keys() {
            long[] out = new long[size];
            int n = 0;
            for (long k : keys) {
                if (k != -1) {
                    out[n++] = k;
                }
            }
            return out;
        }

        private static int slot(long[] table, long key) {
            int mask = table.length - 1;
            int i = (int) (mix(key) & mask);
            while (table[i] != -1 && table[i] != key) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private static long mix(long k) {
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            return k ^ (k >>> 33);
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldKeys.length * 2];
            Arrays.fill(keys, -1);
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != -1) {
                    int i = slot(keys, oldKeys[j]);
                    keys[i] = oldKeys[j];
                    values[i] = oldValues[j];
                }
            }
        }
    }
}
