package org.unitpath.infer;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.data.TissueDetector;
import org.unitpath.io.RgbImage;
import org.unitpath.seg.ImageInstance;
import org.unitpath.seg.Instances;
import org.unitpath.seg.MaskPatch;
import org.unitpath.seg.TileSource;
import org.unitpath.seg.TiledInference;
import org.unitpath.seg.TiledInference.Tile;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;

/**
 * Nucleus segmentation of an image of any size with bounded memory: the image is read one tile
 * at a time in rows ({@link TiledInference}'s layout and seam rule: each nucleus is kept by the
 * tile whose core holds its centre), each kept instance becomes a {@link Nucleus} (solid region,
 * outline, measurements from the tile's own pixels) and goes straight to the sink, which is told
 * after every tile row which image rows are final. Nothing of the image is held beyond the
 * current tile; what the sinks hold is theirs (the label image holds the nuclei of one band).
 */
public final class SlideSegmenter {
    private final TiledInference tiling;

    /** What a run did: nuclei found, tiles segmented and skipped as background, image pixels, wall time. */
    public record Summary(long nuclei, int tiles, int skippedTiles, long pixels, double seconds) {
        public double megapixelsPerSecond() {
            return pixels / 1e6 / Math.max(seconds, 1e-9);
        }
    }

    /** Told after each tile (segmented or skipped). */
    @FunctionalInterface
    public interface Listener {
        void tileDone(int done, int total, long nuclei);
    }

    /** {@code detector}: a 1 x 3 x h x w tile in [-1, 1] to its instances, as {@link TiledInference} takes it. */
    public SlideSegmenter(Function<Tensor, Instances> detector, int tileSize, int overlap) {
        this.tiling = new TiledInference(detector, tileSize, overlap);
    }

    /** How many tiles a width x height image is cut into. */
    public int tileCount(int width, int height) {
        return tiling.layout(width, height).size();
    }

    /** Tiles whose core (the part whose nuclei they keep) has at least {@code minTissue} tissue. */
    public static Predicate<Tile> tissueFilter(TissueDetector tissue, double minTissue, int width, int height) {
        return t -> {
            double x0 = Math.max(0, t.coreX0());
            double y0 = Math.max(0, t.coreY0());
            double x1 = Math.min(width, t.coreX1());
            double y1 = Math.min(height, t.coreY1());
            return tissue.fraction(x0, y0, x1 - x0, y1 - y0) >= minTissue;
        };
    }

    /** Segments {@code source}, tiles for which {@code process} is false being skipped, into {@code sink}. */
    public Summary run(TileSource source, Predicate<Tile> process, NucleusSink sink, Listener listener) throws IOException {
        long start = System.nanoTime();
        List<Tile> tiles = tiling.layout(source.width(), source.height());
        long[] nuclei = {0};
        int skipped = 0;
        for (int i = 0; i < tiles.size(); i++) {
            Tile tile = tiles.get(i);
            if (process.test(tile)) {
                segmentTile(source, tile, sink, nuclei);
            } else {
                skipped++;
            }
            boolean rowEnds = i + 1 == tiles.size() || tiles.get(i + 1).y() != tile.y();
            if (rowEnds) {
                sink.rowsComplete(i + 1 == tiles.size() ? source.height() : tiles.get(i + 1).y());
            }
            listener.tileDone(i + 1, tiles.size(), nuclei[0]);
        }
        return new Summary(nuclei[0], tiles.size() - skipped, skipped, (long) source.width() * source.height(),
                (System.nanoTime() - start) / 1e9);
    }

    private void segmentTile(TileSource source, Tile tile, NucleusSink sink, long[] nuclei) throws IOException {
        IOException[] failure = {null};
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor pixels = source.read(tile.x(), tile.y(), tile.width(), tile.height());
            RgbImage rgb = toRgb(pixels, tile.width(), tile.height());
            tiling.detectTile(tile, pixels, instance -> {
                if (failure[0] != null) {
                    return;
                }
                Nucleus n = nucleus(instance, rgb, tile, nuclei[0] + 1);
                if (n != null) {
                    nuclei[0]++;
                    try {
                        sink.accept(n);
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                }
            });
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** The nucleus of a detected instance (its solid region), or null when the mask is empty. */
    static Nucleus nucleus(ImageInstance instance, RgbImage tilePixels, Tile tile, long id) {
        MaskPatch region = Contours.solidify(instance.mask());
        if (region == null) {
            return null;
        }
        Ring outline = Contours.outline(region);
        return new Nucleus(id, (int) instance.category(), instance.score(), region, outline,
                NucleusMeasurements.of(region, outline, tilePixels, tile.x(), tile.y()));
    }

    /** 8-bit RGB of a 3 x h x w tile in [-1, 1] (exact for pixels that came from 8-bit values). */
    static RgbImage toRgb(Tensor chw, int w, int h) {
        Tensor hwc = chw.mul(F.scalar(127.5)).add(F.scalar(127.5)).round().clamp(new ScalarOptional(F.scalar(0.0)), new ScalarOptional(F.scalar(255.0)))
                .to(ScalarType.Byte).permute(1, 2, 0).contiguous().cpu();
        byte[] out = new byte[3 * w * h];
        new BytePointer(hwc.data_ptr()).capacity(out.length).get(out);
        return new RgbImage(w, h, out);
    }
}
