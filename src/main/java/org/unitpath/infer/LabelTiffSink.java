package org.unitpath.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.unitpath.io.TiledTiffWriter;
import org.unitpath.seg.MaskPatch;

/**
 * The instance-label image as a tiled uint32 TIFF (0 = background, else the nucleus id), written
 * one band of TIFF tile rows at a time as soon as no later nucleus can reach it: only the nuclei
 * that overlap the unwritten rows are held. Where nuclei overlap, the higher score wins (ties:
 * the lower id), as Detectron2's evaluation paints instances in decreasing score order.
 */
final class LabelTiffSink implements NucleusSink {
    private static final Comparator<Nucleus> PAINT_ORDER =
            Comparator.comparingDouble((Nucleus n) -> -n.score()).thenComparingLong(Nucleus::id);
    private final TiledTiffWriter writer;
    private final int width;
    private final int height;
    private final int tile;
    private final List<Nucleus> pending = new ArrayList<>();
    private int nextBand;

    LabelTiffSink(Path path, int width, int height, OptionalDouble mpp) throws IOException {
        TiledTiffWriter.Options options = TiledTiffWriter.Options.labels();
        this.writer = TiledTiffWriter.create(path, options);
        this.width = width;
        this.height = height;
        this.tile = options.tileSize();
        writer.startPage(new TiledTiffWriter.Page(width, height, mpp, "unitpath nucleus labels"));
    }

    @Override
    public void accept(Nucleus n) {
        if (n.region().y < nextBand) {
            throw new IllegalStateException("nucleus " + n.id() + " reaches row " + n.region().y + ", already written up to "
                    + nextBand);
        }
        pending.add(n);
    }

    @Override
    public void rowsComplete(int y) throws IOException {
        while (nextBand < height && (nextBand + tile <= y || y >= height)) {
            writeBand(nextBand, Math.min(nextBand + tile, height));
        }
    }

    private void writeBand(int y0, int y1) throws IOException {
        TreeMap<Integer, List<Nucleus>> columns = new TreeMap<>();
        for (Nucleus n : pending) {
            MaskPatch r = n.region();
            if (r.y < y1 && r.y + r.height > y0) {
                for (int c = r.x / tile; c <= (r.x + r.width - 1) / tile; c++) {
                    columns.computeIfAbsent(c, k -> new ArrayList<>()).add(n);
                }
            }
        }
        int row = y0 / tile;
        for (var column : columns.entrySet()) {
            int x0 = column.getKey() * tile;
            List<Nucleus> nuclei = column.getValue();
            nuclei.sort(PAINT_ORDER);
            writer.writeTile(column.getKey(), row, paint(nuclei, x0, y0, Math.min(tile, width - x0), y1 - y0));
        }
        pending.removeIf(n -> !n.extendsBelow(y1));
        nextBand = y1;
    }

    /** The labels of the rectangle (x0, y0, w, h), row-major, painting {@code nuclei} in order, first claim kept. */
    static int[] paint(List<Nucleus> nuclei, int x0, int y0, int w, int h) {
        int[] labels = new int[w * h];
        for (Nucleus n : nuclei) {
            MaskPatch r = n.region();
            int id = (int) n.id();
            for (int y = Math.max(y0, r.y); y < Math.min(y0 + h, r.y + r.height); y++) {
                for (int x = Math.max(x0, r.x); x < Math.min(x0 + w, r.x + r.width); x++) {
                    int at = (y - y0) * w + x - x0;
                    if (labels[at] == 0 && r.contains(x, y)) {
                        labels[at] = id;
                    }
                }
            }
        }
        return labels;
    }

    @Override
    public void commit() throws IOException {
        rowsComplete(height);
        writer.finish();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
