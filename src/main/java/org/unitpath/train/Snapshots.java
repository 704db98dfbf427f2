package org.unitpath.train;

import java.util.List;

/**
 * Pretraining snapshots at SOLVER.SNAPSHOT_KIMG (thousands of images seen), named as StyleGAN2-ADA
 * names them ({@code network-snapshot-<kimg, 6 digits>}, the point rounded down) with unitpath's
 * .pt extension. The release started stage 2 from stage 1's {@code network-snapshot-000308.pkl}
 * (docs/method.md 1.4), so stage 1 writes one there; each holds the networks as model_final.pt does.
 */
final class Snapshots {
    private final List<Double> kimg;
    private final long globalBatch;

    Snapshots(List<Double> kimg, int globalBatch) {
        this.kimg = List.copyOf(kimg);
        this.globalBatch = globalBatch;
    }

    /** The file name iteration {@code done} (1-based) writes, the first whose images reach a point; null if none. */
    String due(long done) {
        double before = (double) (done - 1) * globalBatch;
        double now = (double) done * globalBatch;
        return kimg.stream().filter(k -> before < k * 1000 && k * 1000 <= now).findFirst().map(k -> name((long) Math.floor(k)))
                .orElse(null);
    }

    static String name(long kimg) {
        return String.format("network-snapshot-%06d.pt", kimg);
    }
}
