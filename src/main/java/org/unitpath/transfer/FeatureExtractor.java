package org.unitpath.transfer;

import java.io.IOException;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.NpyFloat;
import org.unitpath.report.Progress;
import org.unitpath.seg.ResNet;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * Tile features from a frozen trunk: the global average pool of its last stage
 * ({@link ResNet#pooled}), one row per image, in evaluation mode and without autograd.
 */
public final class FeatureExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureExtractor.class);

    /** Receives consecutive feature rows: {@code n} rows of {@code features} values, source order. */
    @FunctionalInterface
    public interface Sink {
        void accept(float[] rows, int n) throws IOException;
    }

    private final ResNet trunk;
    private final Device device;
    private final int side;
    private final int batch;
    private final int threads;

    /** {@code side}: the input size; {@code threads}: image decoding threads. */
    public FeatureExtractor(ResNet trunk, Device device, int side, int batch, int threads) {
        this.trunk = trunk;
        this.device = device;
        this.side = side;
        this.batch = batch;
        this.threads = threads;
        trunk.eval();
        trunk.to(device);
    }

    public int features() {
        return TrunkWeights.features(trunk);
    }

    /** Features of N x 3 x side x side normalised pixels, N x features floats. */
    public float[] embed(float[] pixels, int n) {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor x = Tensors.of(pixels, n, 3, side, side).to(device.toNative(), org.bytedeco.pytorch.global.torch.ScalarType.Float);
            return Tensors.toFloats(trunk.pooled(x));
        }
    }

    /** Streams the features of every image of {@code source}, in order, to {@code sink}; {@code what} names it in the log. */
    public void run(ImageSource source, Sink sink, String what) throws IOException {
        LOG.info("features of {} image{} of {} ({}x{} px, batch {}, {})", source.size(), source.size() == 1 ? "" : "s",
                what, side, side, batch, device);
        try (InputBatches batches = new InputBatches(source, InputBatches.sequence(source.size()), batch, side, threads)) {
            Progress progress = new Progress(Math.max(1, batches.batches()), Math.max(1, batches.batches() / 20), batch);
            long done = 0;
            while (batches.hasNext()) {
                InputBatches.Batch b = batches.next();
                sink.accept(embed(b.pixels(), b.n()), b.n());
                progress.update(++done, Map.of());
            }
            progress.finish();
        }
    }

    /** Every image's features as a matrix in memory. */
    public NpyFloat.Matrix all(ImageSource source, String what) throws IOException {
        int c = features();
        float[] out = new float[source.size() * c];
        int[] row = {0};
        run(source, (rows, n) -> {
            System.arraycopy(rows, 0, out, row[0] * c, n * c);
            row[0] += n;
        }, what);
        return new NpyFloat.Matrix(source.size(), c, out);
    }
}
