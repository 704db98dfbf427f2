package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.Npy;
import org.unitpath.io.RgbImage;
import org.unitpath.masks.MaskFormat;

/**
 * The unpaired dataset (docs/method.md 2.4–2.5): item i pairs mask tile A[i mod |A|] with real tile
 * B[i mod |B|]; its length is max(|A|, |B|). A sample depends only on its index and seed.
 * Unreadable files are skipped (and counted) unless {@code strict}; a mask crop that yields no
 * valid target is replaced by the next mask tile, at most {@code maxRetries} times.
 */
public final class CycleDataset {
    private static final Logger log = LoggerFactory.getLogger(CycleDataset.class);
    private static final Pattern TILE_NAME = Pattern.compile("(.+)_(\\d+)_(\\d+)");

    private final List<DatasetFiles.Tile> a;
    private final List<DatasetFiles.Tile> b;
    private final Path cellMasks;
    private final int size;
    private final SegGuide guide;
    private final MaskFormat format;
    private final Augment augment;
    private final boolean strict;
    private final int maxRetries;
    private final Set<Path> bad = ConcurrentHashMap.newKeySet();
    private final AtomicLong rejectedCrops = new AtomicLong();

    public CycleDataset(List<DatasetFiles.Tile> a, List<DatasetFiles.Tile> b, Path cellMasks, int size, SegGuide guide,
            MaskFormat format, Augment augment, boolean strict, int maxRetries) {
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException("both domains need at least one tile");
        }
        this.a = a;
        this.b = b;
        this.cellMasks = cellMasks;
        this.size = size;
        this.guide = guide;
        this.format = format;
        this.augment = augment;
        this.strict = strict;
        this.maxRetries = maxRetries;
    }

    public int length() {
        return Math.max(a.size(), b.size());
    }

    /** Files skipped because they could not be read. */
    public int skippedFiles() {
        return bad.size();
    }

    /** Mask crops rejected for lack of background or of a valid nucleus. */
    public long rejectedCrops() {
        return rejectedCrops.get();
    }

    public CycleSample sample(int index, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        IOException last = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            DatasetFiles.Tile ta = a.get(Math.floorMod(index + attempt, a.size()));
            DatasetFiles.Tile tb = b.get(Math.floorMod(index + attempt, b.size()));
            if (bad.contains(ta.file()) || bad.contains(tb.file())) {
                continue;
            }
            try {
                CycleSample s = build(ta, tb, rng);
                if (s != null) {
                    return s;
                }
                rejectedCrops.incrementAndGet();
            } catch (IOException e) {
                if (strict) {
                    throw e;
                }
                last = e;
                Path failed = String.valueOf(e.getMessage()).startsWith(tb.file().toString()) ? tb.file() : ta.file();
                if (bad.add(failed)) {
                    log.warn("skipping unreadable file: {}", e.getMessage());
                }
            }
        }
        throw new IOException("no usable training pair near item " + index + " after " + (maxRetries + 1) + " tries"
                + (last == null ? " (every mask crop lacked background or nuclei)" : "; last problem: " + last.getMessage()));
    }

    private CycleSample build(DatasetFiles.Tile ta, DatasetFiles.Tile tb, SplittableRandom rng) throws IOException {
        int side = ta.scale().cropSide();
        RgbImage maskImage = ImageFiles.read(ta.file());
        if (maskImage.width() < side || maskImage.height() < side) {
            throw new ImageFormatException(ta.file(), "is " + maskImage.width() + "x" + maskImage.height()
                    + ", smaller than the " + side + "-px crop of scale " + ta.scale().name());
        }
        int ax = rng.nextInt(maskImage.width() - side + 1);
        int ay = rng.nextInt(maskImage.height() - side + 1);
        int[] labels = null;
        if (guide != SegGuide.NONE) {
            labels = Resample.nearest(readLabels(ta, maskImage, ax, ay, side), side, 0, 0, side, side, size, size);
            if (guide == SegGuide.ISG && !Targets.keepValid(labels, size)) {
                return null;
            }
        }
        RgbImage imgA = Resample.nearest(maskImage, ax, ay, side, side, size, size);
        RgbImage real = ImageFiles.read(tb.file());
        int bSide = Math.min(Math.min(real.width(), real.height()), (int) Math.round(side * augment.bScale().draw(rng)));
        int bx = rng.nextInt(real.width() - bSide + 1);
        int by = rng.nextInt(real.height() - bSide + 1);
        RgbImage imgB = Resample.bilinear(real, bx, by, bSide, bSide, size, size);

        int ch = (int) (size * (augment.relativeCrop() + rng.nextDouble() * (1 - augment.relativeCrop())) + 0.5);
        int cw = (int) (size * (augment.relativeCrop() + rng.nextDouble() * (1 - augment.relativeCrop())) + 0.5);
        int y0 = rng.nextInt(size - ch + 1);
        int x0 = rng.nextInt(size - cw + 1);
        boolean flip = rng.nextDouble() < augment.flip();
        imgA = Resample.nearest(imgA, x0, y0, cw, ch, size, size);
        imgB = Resample.nearest(imgB, x0, y0, cw, ch, size, size);
        if (labels != null) {
            labels = Resample.nearest(labels, size, x0, y0, cw, ch, size, size);
        }
        if (flip) {
            Resample.flipHorizontal(imgA);
            Resample.flipHorizontal(imgB);
            if (labels != null) {
                Resample.flipHorizontal(labels, size);
            }
        }
        format.fromMultichannel(imgA.rgb());
        return new CycleSample(normalised(imgA), normalised(imgB), size,
                guide == SegGuide.ISG ? Targets.instances(labels, size) : List.of(),
                guide == SegGuide.SSG ? Targets.semantic(labels) : null,
                ta.file().toString(), tb.file().toString());
    }

    /** The instance-map crop matching a mask-tile crop: tiles named id_x_y sit at (x, y) * tile in cell_mask/id.npy. */
    private int[] readLabels(DatasetFiles.Tile ta, RgbImage tile, int ax, int ay, int side) throws IOException {
        String stem = ta.file().getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Matcher m = TILE_NAME.matcher(stem);
        Path npy;
        int x = ax;
        int y = ay;
        if (m.matches()) {
            npy = cellMasks.resolve(m.group(1) + ".npy");
            x += Integer.parseInt(m.group(2)) * tile.width();
            y += Integer.parseInt(m.group(3)) * tile.height();
        } else {
            npy = cellMasks.resolve(stem + ".npy");
        }
        if (!Files.isRegularFile(npy)) {
            throw new ImageFormatException(ta.file(), "its instance map " + npy + " is missing");
        }
        return Npy.readRegion(npy, x, y, side, side).data();
    }

    /** RGB bytes to CHW floats (v - 127.5) / 127.5, the model's pixel normalisation. */
    public static float[] normalised(RgbImage img) {
        int n = img.width() * img.height();
        float[] out = new float[3 * n];
        byte[] p = img.rgb();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * n + i] = ((p[3 * i + c] & 0xff) - 127.5f) / 127.5f;
            }
        }
        return out;
    }
}
