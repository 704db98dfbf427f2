package org.unitpath.seg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * Instance segmentation of images larger than the network's input, tile by tile. Tiles of
 * {@code tileSize} overlap by at least {@code overlap}; the last row and column are shifted
 * inwards so that every pixel is covered, and an image side shorter than a tile gets one tile
 * of that side rounded up to a multiple of 32, padded with white (1.0).
 *
 * <p>Each instance is kept by exactly one tile: the one whose core holds its box centre. Cores
 * partition the image; neighbouring cores meet in the middle of their tiles' overlap. So an
 * instance smaller than the overlap is kept by a tile that sees it whole, and a copy cut by
 * a tile's edge has its centre in the overlap's outer half, outside that tile's core: nothing is
 * duplicated or cut.
 *
 * <p>{@link #run} streams the instances in image coordinates and holds one tile at a time;
 * {@link #labelMap} renders an instance-label map for images that fit in memory.
 */
public final class TiledInference {
    public static final int SIZE_DIVISIBILITY = Fpn.SIZE_DIVISIBILITY;
    /** White in S's [-1, 1] pixel range. */
    public static final double PAD_VALUE = 1.0;
    public final int tileSize;
    public final int overlap;
    private final Function<Tensor, Instances> detector;

    /**
     * One tile: the image rectangle (x, y, width, height) it reads, its padded network input
     * (inputWidth x inputHeight) and its core [coreX0, coreX1) x [coreY0, coreY1), unbounded
     * on the image's outer sides.
     */
    public record Tile(int x, int y, int width, int height, int inputWidth, int inputHeight,
            double coreX0, double coreY0, double coreX1, double coreY1) {
        public boolean ownsCentre(double cx, double cy) {
            return cx >= coreX0 && cx < coreX1 && cy >= coreY0 && cy < coreY1;
        }
    }

    /**
     * {@code detector} maps a 1 x 3 x h x w tile in [-1, 1] (h, w multiples of 32) to its
     * instances in tile pixels, masks h x w; it runs under no-grad, inside a memory scope that
     * is closed after each tile.
     */
    public TiledInference(Function<Tensor, Instances> detector, int tileSize, int overlap) {
        if (tileSize <= 0 || tileSize % SIZE_DIVISIBILITY != 0) {
            throw new IllegalArgumentException("tile size must be a positive multiple of " + SIZE_DIVISIBILITY + ", got " + tileSize);
        }
        if (overlap < 0 || overlap >= tileSize) {
            throw new IllegalArgumentException("overlap must be in 0.." + (tileSize - 1) + " for tiles of " + tileSize
                    + ", got " + overlap);
        }
        this.detector = detector;
        this.tileSize = tileSize;
        this.overlap = overlap;
    }

    /** The tiles of a width x height image, row by row. */
    public List<Tile> layout(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Axis xs = axis(width);
        Axis ys = axis(height);
        List<Tile> tiles = new ArrayList<>(xs.starts.length * ys.starts.length);
        for (int j = 0; j < ys.starts.length; j++) {
            for (int i = 0; i < xs.starts.length; i++) {
                tiles.add(new Tile(xs.starts[i], ys.starts[j], xs.extent, ys.extent, xs.input, ys.input,
                        xs.bounds[i], ys.bounds[j], xs.bounds[i + 1], ys.bounds[j + 1]));
            }
        }
        return tiles;
    }

    /** Tile starts along one side, the extent read, the padded input side and the core bounds. */
    private record Axis(int[] starts, int extent, int input, double[] bounds) {}

    private Axis axis(int length) {
        if (length <= tileSize) {
            int input = (length + SIZE_DIVISIBILITY - 1) / SIZE_DIVISIBILITY * SIZE_DIVISIBILITY;
            return new Axis(new int[] {0}, length, input, new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY});
        }
        int stride = tileSize - overlap;
        int n = 1 + (length - tileSize + stride - 1) / stride;
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = i == n - 1 ? length - tileSize : i * stride;
        }
        double[] bounds = new double[n + 1];
        bounds[0] = Double.NEGATIVE_INFINITY;
        bounds[n] = Double.POSITIVE_INFINITY;
        for (int i = 1; i < n; i++) {
            // middle of the overlap of tiles i-1 and i (wider than `overlap` for the shifted last tile)
            bounds[i] = (starts[i - 1] + tileSize + starts[i]) / 2.0;
        }
        return new Axis(starts, tileSize, tileSize, bounds);
    }

    /** Detects every instance of the image and hands each to {@code sink} once, tile by tile; returns how many. */
    public long run(TileSource source, Consumer<ImageInstance> sink) {
        long count = 0;
        for (Tile tile : layout(source.width(), source.height())) {
            try (MemoryScope scope = MemoryScope.open()) {
                count += detectTile(tile, source.read(tile.x(), tile.y(), tile.width(), tile.height()), sink);
            }
        }
        return count;
    }

    /**
     * Detects the instances of one tile of the layout from its pixels (3 x height x width, as
     * {@link TileSource#read} returns them) and hands those whose centre the tile owns to
     * {@code sink}; returns how many. Call it inside a memory scope.
     */
    public int detectTile(Tile tile, Tensor pixels, Consumer<ImageInstance> sink) {
        if (pixels.dim() != 3 || pixels.size(0) != 3 || pixels.size(1) != tile.height() || pixels.size(2) != tile.width()) {
            throw new IllegalStateException("tile source returned " + Arrays.toString(pixels.shape()) + " for a "
                    + tile.width() + "x" + tile.height() + " rectangle");
        }
        try (NoGrad ng = NoGrad.enter()) {
            Tensor input = torch.constant_pad_nd(pixels.to(ScalarType.Float).unsqueeze(0),
                    new long[] {0, tile.inputWidth() - tile.width(), 0, tile.inputHeight() - tile.height()},
                    F.scalar(PAD_VALUE));
            Instances found = detector.apply(input);
            if (found == null) {
                throw new IllegalStateException("detector returned no Instances for tile " + tile);
            }
            if (found.imageHeight() != tile.inputHeight() || found.imageWidth() != tile.inputWidth()) {
                throw new IllegalStateException("detector returned " + found.imageHeight() + "x" + found.imageWidth()
                        + " masks for a " + tile.inputHeight() + "x" + tile.inputWidth() + " tile");
            }
            return emit(tile, found, sink);
        }
    }

    /**
     * The instances one detector pass found on a whole image (masks at the image's size, as
     * {@link SegmentationNetwork#detect} returns them), as {@link #run} hands them out.
     */
    public static List<ImageInstance> instancesOf(Instances found) {
        int w = (int) found.imageWidth();
        int h = (int) found.imageHeight();
        List<ImageInstance> out = new ArrayList<>();
        if (w > 0 && h > 0) {
            emit(new Tile(0, 0, w, h, w, h, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    Double.POSITIVE_INFINITY), found, out::add);
        }
        return out;
    }

    /** All instances of the image, in the order {@link #run} streams them. */
    public List<ImageInstance> detect(TileSource source) {
        List<ImageInstance> out = new ArrayList<>();
        run(source, out::add);
        return out;
    }

    /**
     * The instance-label map (row-major, width x height) of an image that fits in memory: see
     * {@link #renderLabels}.
     */
    public int[] labelMap(TileSource source) {
        checkLabelMapSize(source.width(), source.height());
        return renderLabels(detect(source), source.width(), source.height());
    }

    /**
     * Labels 1..K given in decreasing score order (ties keep list order); 0 is background. A
     * pixel claimed by several masks keeps the label painted first.
     */
    public static int[] renderLabels(List<ImageInstance> instances, int width, int height) {
        checkLabelMapSize(width, height);
        List<ImageInstance> sorted = new ArrayList<>(instances);
        sorted.sort(Comparator.comparingDouble(ImageInstance::score).reversed());
        int[] labels = new int[width * height];
        for (int k = 0; k < sorted.size(); k++) {
            MaskPatch m = sorted.get(k).mask();
            boolean[] bits = m.toArray();
            for (int row = 0; row < m.height; row++) {
                int py = m.y + row;
                if (py < 0 || py >= height) {
                    continue;
                }
                for (int col = 0; col < m.width; col++) {
                    int px = m.x + col;
                    if (px >= 0 && px < width && bits[row * m.width + col] && labels[py * width + px] == 0) {
                        labels[py * width + px] = k + 1;
                    }
                }
            }
        }
        return labels;
    }

    private static void checkLabelMapSize(int width, int height) {
        if ((long) width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(width + "x" + height + " is too large for a label map in memory; stream with run()");
        }
    }

    private static int emit(Tile tile, Instances found, Consumer<ImageInstance> sink) {
        int k = found.size();
        if (k == 0) {
            return 0;
        }
        float[] boxes = Tensors.toFloats(found.boxes());
        float[] scores = Tensors.toFloats(found.scores());
        float[] classes = Tensors.toFloats(found.classes());
        List<Integer> kept = new ArrayList<>();
        float[] clipped = new float[4 * k];
        for (int i = 0; i < k; i++) {
            // clipped to the tile's image pixels, as detector_postprocess clips to the image
            float x0 = clamp(boxes[4 * i], tile.width());
            float y0 = clamp(boxes[4 * i + 1], tile.height());
            float x1 = clamp(boxes[4 * i + 2], tile.width());
            float y1 = clamp(boxes[4 * i + 3], tile.height());
            double cx = tile.x() + (x0 + (double) x1) / 2;
            double cy = tile.y() + (y0 + (double) y1) / 2;
            if (x1 > x0 && y1 > y0 && tile.ownsCentre(cx, cy)) {
                kept.add(i);
                clipped[4 * i] = tile.x() + x0;
                clipped[4 * i + 1] = tile.y() + y0;
                clipped[4 * i + 2] = tile.x() + x1;
                clipped[4 * i + 3] = tile.y() + y1;
            }
        }
        if (kept.isEmpty()) {
            return 0;
        }
        Tensor masks = found.masks().narrow(1, 0, tile.height()).narrow(2, 0, tile.width()).cpu();
        byte[] rows = bytes(masks.any(2, false));
        byte[] cols = bytes(masks.any(1, false));
        for (int i : kept) {
            int r0 = first(rows, i * tile.height(), tile.height());
            int r1 = last(rows, i * tile.height(), tile.height()) + 1;
            int c0 = first(cols, i * tile.width(), tile.width());
            int c1 = last(cols, i * tile.width(), tile.width()) + 1;
            MaskPatch patch;
            if (r0 < 0) {
                patch = new MaskPatch(tile.x(), tile.y(), 0, 0, new boolean[0]);
            } else {
                try (MemoryScope s = MemoryScope.open()) {
                    byte[] crop = bytes(masks.select(0, i).narrow(0, r0, r1 - r0).narrow(1, c0, c1 - c0));
                    boolean[] bits = new boolean[crop.length];
                    for (int p = 0; p < crop.length; p++) {
                        bits[p] = crop[p] != 0;
                    }
                    patch = new MaskPatch(tile.x() + c0, tile.y() + r0, c1 - c0, r1 - r0, bits);
                }
            }
            sink.accept(new ImageInstance(clipped[4 * i], clipped[4 * i + 1], clipped[4 * i + 2], clipped[4 * i + 3],
                    scores[i], (long) classes[i], patch));
        }
        return kept.size();
    }

    private static float clamp(float v, int max) {
        return Math.max(0f, Math.min(max, v));
    }

    private static byte[] bytes(Tensor t) {
        Tensor c = t.to(ScalarType.Byte).contiguous();
        byte[] out = new byte[(int) c.numel()];
        new BytePointer(c.data_ptr()).capacity(out.length).get(out);
        return out;
    }

    /** Index within [offset, offset + n) of the first non-zero byte, relative to offset; -1 if none. */
    private static int first(byte[] a, int offset, int n) {
        for (int i = 0; i < n; i++) {
            if (a[offset + i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private static int last(byte[] a, int offset, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (a[offset + i] != 0) {
                return i;
            }
        }
        return -1;
    }
}
