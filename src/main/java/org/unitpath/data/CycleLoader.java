package org.unitpath.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.unitpath.io.Futures;

/**
 * Endless batches of {@link CycleSample}s with background prefetch. Each epoch is a seeded
 * permutation of the dataset; with several processes each rank takes every world-th index, so
 * ranks see disjoint samples. Batch k is fully determined by (seed, k, rank): identical seeds
 * give identical batches whatever the number of worker threads, and a run can resume at any
 * batch with {@link #seek}.
 */
public final class CycleLoader implements AutoCloseable {
    private final CycleDataset dataset;
    private final int batchSize;
    private final long seed;
    private final int rank;
    private final int world;
    private final int prefetch;
    private final ExecutorService pool;
    private final Deque<Future<List<CycleSample>>> queue = new ArrayDeque<>();
    private long nextToSubmit;
    private long nextToReturn;
    private volatile Epoch cached;

    /** The sample order of one epoch, reused by all its batches. */
    private record Epoch(long index, int[] order) {}

    public CycleLoader(CycleDataset dataset, int batchSize, long seed, int workers, int prefetch, int rank, int world) {
        if (batchSize < 1 || workers < 1 || prefetch < 1 || world < 1 || rank < 0 || rank >= world) {
            throw new IllegalArgumentException("bad loader settings: batch " + batchSize + ", workers " + workers
                    + ", prefetch " + prefetch + ", rank " + rank + " of " + world);
        }
        if (dataset.length() / world < batchSize) {
            throw new IllegalArgumentException("dataset of " + dataset.length() + " pairs is too small for batches of "
                    + batchSize + " on " + world + " process(es)");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.seed = seed;
        this.rank = rank;
        this.world = world;
        this.prefetch = prefetch;
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "unitpath-loader");
            t.setDaemon(true);
            return t;
        });
    }

    public int batchesPerEpoch() {
        return dataset.length() / world / batchSize;
    }

    /** Continues with batch {@code k} (counted from the start of training). */
    public void seek(long k) {
        queue.forEach(f -> f.cancel(true));
        queue.clear();
        nextToSubmit = k;
        nextToReturn = k;
    }

    /** The next batch; an unreadable dataset (with strict, any bad file) ends training with its error. */
    public List<CycleSample> next() throws IOException {
        while (queue.size() < prefetch) {
            long k = nextToSubmit++;
            queue.add(pool.submit(() -> build(k)));
        }
        nextToReturn++;
        return Futures.get(queue.poll(), "loading data");
    }

    /** Files skipped so far because they could not be read. */
    public int skippedFiles() {
        return dataset.skippedFiles();
    }

    /** Index of the batch {@link #next} returns next. */
    public long position() {
        return nextToReturn;
    }

    private List<CycleSample> build(long k) {
        int perEpoch = batchesPerEpoch();
        long epoch = k / perEpoch;
        int within = (int) (k % perEpoch);
        int[] order = permutation(epoch);
        List<CycleSample> batch = new ArrayList<>(batchSize);
        for (int j = 0; j < batchSize; j++) {
            int slot = (within * batchSize + j) * world + rank;
            int index = order[slot];
            long sampleSeed = mix(seed, epoch, index);
            try {
                batch.add(dataset.sample(index, sampleSeed));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return batch;
    }

    private int[] permutation(long epoch) {
        Epoch e = cached;
        if (e != null && e.index() == epoch) {
            return e.order();
        }
        int n = dataset.length();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(mix(seed, epoch, -1));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cached = new Epoch(epoch, order);
        return order;
    }

    private static long mix(long seed, long epoch, long index) {
        long h = seed * 0x9E3779B97F4A7C15L ^ (epoch + 1) * 0xC2B2AE3D27D4EB4FL ^ (index + 7) * 0x165667B19E3779F9L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
