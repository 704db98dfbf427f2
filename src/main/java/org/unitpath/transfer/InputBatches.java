package org.unitpath.transfer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.unitpath.data.ImageFolderInput;
import org.unitpath.io.Futures;

/**
 * Network inputs in batches, decoded and resized on background threads while the network runs
 * on the previous batch. At most two batches are in flight, so memory stays bounded however
 * many images the source has.
 */
final class InputBatches implements AutoCloseable {
    /** {@code n} images as N x 3 x side x side floats in [-1, 1]; {@code indices} into the source. */
    record Batch(float[] pixels, int n, int[] indices) {}

    private final ImageSource source;
    private final int[] order;
    private final int batch;
    private final int side;
    private final ExecutorService pool;
    private final ArrayDeque<Future<float[]>> pending = new ArrayDeque<>();
    private int submitted;
    private int delivered;

    /** Images {@code order[0], order[1], ...} of {@code source}, {@code batch} at a time. */
    InputBatches(ImageSource source, int[] order, int batch, int side, int threads) {
        if (batch < 1 || side < 32) {
            throw new IllegalArgumentException("batch must be >= 1 and image side >= 32, got " + batch + " and " + side);
        }
        this.source = source;
        this.order = order.clone();
        this.batch = batch;
        this.side = side;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static int[] sequence(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    int batches() {
        return (order.length + batch - 1) / batch;
    }

    boolean hasNext() {
        return delivered < order.length;
    }

    Batch next() throws IOException {
        while (submitted < Math.min(order.length, delivered + 2 * batch)) {
            int index = order[submitted++];
            pending.add(pool.submit(() -> ImageFolderInput.normalised(source.read(index), side)));
        }
        int n = Math.min(batch, order.length - delivered);
        int plane = 3 * side * side;
        float[] pixels = new float[n * plane];
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = order[delivered + i];
            System.arraycopy(take(), 0, pixels, i * plane, plane);
        }
        delivered += n;
        return new Batch(pixels, n, indices);
    }

    private float[] take() throws IOException {
        return Futures.get(pending.removeFirst(), "reading images");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
