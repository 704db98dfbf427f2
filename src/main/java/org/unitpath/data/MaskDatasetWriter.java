package org.unitpath.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.AtomicFiles;
import org.unitpath.io.Futures;
import org.unitpath.io.Npy;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.masks.CanvasStats;
import org.unitpath.masks.MaskCanvas;
import org.unitpath.masks.MaskConfig;
import org.unitpath.masks.MaskFormat;
import org.unitpath.masks.MaskGenerator;

/**
 * Writes a domain-A dataset in the release's layout: {@code <scale>/<id>_<x>_<y>.png} tiles,
 * {@code cell_mask/<id>.npy} instance maps, plus {@code stats.json} (measured statistics) and
 * {@code preview.png}. Every file is written atomically and canvases whose files all exist are
 * not rewritten, so an interrupted run can simply be started again.
 */
public final class MaskDatasetWriter {
    private static final Logger log = LoggerFactory.getLogger(MaskDatasetWriter.class);
    private static final int PREVIEW_CANVASES = 8;
    private static final int PREVIEW_COLUMNS = 4;

    /** What a run made. */
    public record Result(int canvases, int tilesWritten, int tilesKept, double seconds, Path stats) {}

    private final MaskGenerator generator;
    private final MaskFormat format;
    private final Path out;
    private final String scale;
    private final Map<Integer, MaskCanvas> previews = new java.util.concurrent.ConcurrentHashMap<>();

    public MaskDatasetWriter(MaskGenerator generator, MaskFormat format, Path out, String scale) {
        this.generator = generator;
        this.format = format;
        this.out = out;
        this.scale = scale;
    }

    /** Canvas file stem: zero-padded so that files sort in canvas order. */
    public static String canvasId(long index) {
        return String.format("%06d", index);
    }

    public Result write(int count, int threads) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(out.resolve(scale));
        Files.createDirectories(out.resolve("cell_mask"));
        CanvasStats[] stats = new CanvasStats[count];
        AtomicInteger written = new AtomicInteger();
        AtomicInteger kept = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                jobs.add(pool.submit(() -> {
                    MaskCanvas canvas = generator.generate(index);
                    stats[index] = CanvasStats.of(canvas, generator.config().tile());
                    int[] n = writeCanvas(index, canvas);
                    written.addAndGet(n[0]);
                    kept.addAndGet(n[1]);
                    if (index < PREVIEW_CANVASES) {
                        previews.put(index, canvas);
                    }
                    int d = done.incrementAndGet();
                    if (d % 100 == 0) {
                        log.info("{}/{} canvases", d, count);
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        writePreview();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path statsFile = out.resolve("stats.json");
        writeStats(statsFile, stats, seconds, threads);
        return new Result(count, written.get(), kept.get(), seconds, statsFile);
    }

    /** Writes the tiles and instance map of one canvas; returns {tiles written, tiles already present}. */
    private int[] writeCanvas(int index, MaskCanvas canvas) {
        String id = canvasId(index);
        int tile = generator.config().tile();
        int grid = canvas.size() / tile;
        int written = 0;
        int kept = 0;
        try {
            for (int ty = 0; ty < grid; ty++) {
                for (int tx = 0; tx < grid; tx++) {
                    Path file = out.resolve(scale).resolve(id + "_" + tx + "_" + ty + ".png");
                    if (Files.exists(file)) {
                        kept++;
                        continue;
                    }
                    byte[] rgb = format.fromMultichannel(canvas.multichannel(tx * tile, ty * tile, tile));
                    Png.write(file, new RgbImage(tile, tile, rgb));
                    written++;
                }
            }
            Path npy = out.resolve("cell_mask").resolve(id + ".npy");
            if (!Files.exists(npy)) {
                Npy.writeInt32(npy, new Npy.IntMap(canvas.size(), canvas.size(), canvas.labels()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new int[] {written, kept};
    }

    private static void await(Future<?> f) throws IOException {
        Futures.get(f, "writing mask canvases");
    }

    /** Up to eight canvases at half size in four columns; 2x2 max-pooling keeps 1-px contours visible. */
    private void writePreview() throws IOException {
        if (previews.isEmpty()) {
            return;
        }
        int n = previews.size();
        int side = generator.config().canvas() / 2;
        int cols = Math.min(PREVIEW_COLUMNS, n);
        int rows = (n + cols - 1) / cols;
        RgbImage sheet = RgbImage.blank(cols * side + (cols - 1) * 4, rows * side + (rows - 1) * 4);
        java.util.Arrays.fill(sheet.rgb(), (byte) 128);
        for (int k = 0; k < n; k++) {
            MaskCanvas c = previews.get(k);
            byte[] full = format.fromMultichannel(c.multichannel(0, 0, c.size()));
            int ox = (k % cols) * (side + 4);
            int oy = (k / cols) * (side + 4);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    for (int ch = 0; ch < 3; ch++) {
                        int v = 0;
                        for (int d = 0; d < 4; d++) {
                            v = Math.max(v, full[3 * ((2 * y + d / 2) * c.size() + 2 * x + d % 2) + ch] & 0xff);
                        }
                        sheet.set(ox + x, oy + y, ch, v);
                    }
                }
            }
        }
        Png.write(out.resolve("preview.png"), sheet);
    }

    private void writeStats(Path file, CanvasStats[] stats, double seconds, int threads) throws IOException {
        List<Double> perTile = new ArrayList<>();
        List<Double> fraction = new ArrayList<>();
        List<Double> area = new ArrayList<>();
        List<Double> aspect = new ArrayList<>();
        List<Double> spacing = new ArrayList<>();
        long[] classes = new long[2];
        for (CanvasStats s : stats) {
            for (int v : s.nucleiPerTile()) {
                perTile.add((double) v);
            }
            for (double v : s.nuclearFraction()) {
                fraction.add(v);
            }
            for (int i = 0; i < s.area().length; i++) {
                area.add((double) s.area()[i]);
                aspect.add(s.aspect()[i]);
                spacing.add(s.nearestDistance()[i]);
                classes[s.classes()[i]]++;
            }
        }
        MaskConfig cfg = generator.config();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("canvases", stats.length);
        json.put("tiles", (long) stats.length * cfg.tilesPerCanvas());
        json.put("nuclei", classes[0] + classes[1]);
        json.put("nuclei_per_tile", summary(perTile));
        json.put("nuclear_fraction", summary(fraction));
        json.put("area_px", summary(area));
        json.put("aspect_ratio", summary(aspect));
        json.put("nearest_neighbour_px", summary(spacing));
        long total = Math.max(1, classes[0] + classes[1]);
        json.put("class_mix", Map.of("scattered", classes[0] / (double) total, "arranged", classes[1] / (double) total));
        json.put("seconds", Math.round(seconds * 100) / 100.0);
        json.put("tiles_per_second", Math.round(stats.length * cfg.tilesPerCanvas() / seconds * 10) / 10.0);
        json.put("threads", threads);
        json.put("format", format.key);
        json.put("config", configJson(cfg));
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        AtomicFiles.write(file, bytes);
    }

    private static Map<String, Object> summary(List<Double> values) {
        return Summary.of(values.stream().mapToDouble(Double::doubleValue).toArray()).toJson();
    }

    private static Map<String, Object> configJson(MaskConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("canvas", c.canvas());
        m.put("tile", c.tile());
        m.put("distribution", c.distribution().name().toLowerCase(java.util.Locale.ROOT));
        m.put("nuclei_per_tile", c.nucleiPerTile().toString());
        m.put("arranged_share", c.arrangedShare().toString());
        m.put("round_diameter", c.roundDiameter().toString());
        m.put("spindle_length", c.spindleLength().toString());
        m.put("spindle_width", c.spindleWidth().toString());
        m.put("spindle_share", c.spindleShare());
        m.put("arranged_major", c.arrangedMajor().toString());
        m.put("arranged_minor", c.arrangedMinor().toString());
        m.put("boundary_noise", c.boundaryNoise());
        m.put("gland_radius", c.glandRadius().toString());
        m.put("open_gland_share", c.openGlandShare());
        m.put("texture", c.texture().toString());
        m.put("max_overlap", c.maxOverlap());
        return m;
    }
}
