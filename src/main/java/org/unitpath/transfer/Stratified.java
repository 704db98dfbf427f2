package org.unitpath.transfer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded, stratified partitions of labelled samples: every class is shuffled on its own and
 * spread over the parts in proportion, so each part has the class mix of the whole.
 */
public final class Stratified {
    private Stratified() {}

    /** Sample indices of the two sides of a split, each sorted. */
    public record Split(int[] train, int[] test) {}

    /**
     * Puts round(n_c * testFraction) samples of each class c in the test side, but at least one
     * (when the class has two or more) and never all of them.
     */
    public static Split split(int[] labels, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> members : shuffledClasses(labels, seed)) {
            int n = members.size();
            int t = (int) Math.round(n * testFraction);
            t = Math.min(n - 1, Math.max(n >= 2 ? 1 : 0, t));
            test.addAll(members.subList(0, t));
            train.addAll(members.subList(t, n));
        }
        return new Split(sorted(train), sorted(test));
    }

    /**
     * The fold (0..k-1) of every sample: each class's shuffled members are dealt round-robin,
     * continuing where the previous class stopped so that fold sizes differ by at most one.
     */
    public static int[] folds(int[] labels, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("need at least 2 folds, got " + k);
        }
        int[] fold = new int[labels.length];
        int next = 0;
        for (List<Integer> members : shuffledClasses(labels, seed)) {
            for (int i : members) {
                fold[i] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    /** Fold {@code f} as the test side, the other folds as the training side. */
    public static Split fold(int[] folds, int f) {
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < folds.length; i++) {
            (folds[i] == f ? test : train).add(i);
        }
        return new Split(sorted(train), sorted(test));
    }

    /** Fisher-Yates shuffle in place, the same order for the same generator state. */
    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static List<List<Integer>> shuffledClasses(int[] labels, long seed) {
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> out = new ArrayList<>();
        byClass.forEach((c, members) -> {
            Collections.shuffle(members, new Random(seed * 1_000_003L + c));
            out.add(members);
        });
        return out;
    }

    private static int[] sorted(List<Integer> l) {
        int[] a = l.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
