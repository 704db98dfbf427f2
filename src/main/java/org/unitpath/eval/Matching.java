package org.unitpath.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maximum-weight one-to-one pairing of ground-truth and predicted nuclei over the overlapping
 * pairs. The overlap graph falls apart into small connected components (a nucleus touches a few
 * others), so the Hungarian method runs per component: the same optimum as one assignment on
 * the whole IoU matrix, at a tiny fraction of the cost on images with a thousand nuclei.
 */
final class Matching {
    private Matching() {}

    /** The chosen pair indices among those with {@code weight[pair] > 0}, maximising the total weight. */
    static int[] maxWeight(InstanceOverlap o, double[] weight) {
        int nodes = o.truthCount + o.predCount;
        int[] parent = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            parent[i] = i;
        }
        for (int k = 0; k < o.pairs(); k++) {
            if (weight[k] > 0) {
                union(parent, o.pairTruth[k] - 1, o.truthCount + o.pairPred[k] - 1);
            }
        }
        Map<Integer, List<Integer>> components = new HashMap<>();
        for (int k = 0; k < o.pairs(); k++) {
            if (weight[k] > 0) {
                components.computeIfAbsent(find(parent, o.pairTruth[k] - 1), r -> new ArrayList<>()).add(k);
            }
        }
        int[] chosen = new int[o.pairs()];
        int n = 0;
        for (List<Integer> pairs : components.values()) {
            if (pairs.size() == 1) {
                chosen[n++] = pairs.get(0);
                continue;
            }
            n = solve(o, weight, pairs, chosen, n);
        }
        int[] out = Arrays.copyOf(chosen, n);
        Arrays.sort(out);
        return out;
    }

    private static int solve(InstanceOverlap o, double[] weight, List<Integer> pairs, int[] chosen, int n) {
        Map<Integer, Integer> rows = new HashMap<>();
        Map<Integer, Integer> cols = new HashMap<>();
        for (int k : pairs) {
            rows.putIfAbsent(o.pairTruth[k], rows.size());
            cols.putIfAbsent(o.pairPred[k], cols.size());
        }
        double[][] cost = new double[rows.size()][cols.size()];
        int[][] pairAt = new int[rows.size()][cols.size()];
        for (int[] r : pairAt) {
            Arrays.fill(r, -1);
        }
        for (int k : pairs) {
            int r = rows.get(o.pairTruth[k]);
            int c = cols.get(o.pairPred[k]);
            cost[r][c] = -weight[k];
            pairAt[r][c] = k;
        }
        int[] assigned = Hungarian.assign(cost);
        for (int r = 0; r < assigned.length; r++) {
            int c = assigned[r];
            if (c >= 0 && pairAt[r][c] >= 0) {
                chosen[n++] = pairAt[r][c];
            }
        }
        return n;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }
}
