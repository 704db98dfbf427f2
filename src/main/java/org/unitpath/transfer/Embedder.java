package org.unitpath.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.ImageFolder;
import org.unitpath.data.SlideFiles;
import org.unitpath.data.SlideTiles;
import org.unitpath.data.TileCutter;
import org.unitpath.io.AtomicFiles;
import org.unitpath.io.CsvText;
import org.unitpath.io.NpyFloat;

/**
 * Writes tile features for folders of tiles and for slides: per input {@code OUT/<name>.npy}
 * (float32, tiles x features), {@code OUT/<name>.tiles.csv} (which tile each row is) and, on
 * request, {@code OUT/<name>.csv} (the features as text). A slide's tissue tiles are cut on the
 * fly and streamed through the network batch by batch, features going straight to disk, so
 * memory does not grow with the slide. Inputs whose outputs exist are skipped, so an
 * interrupted run resumes where it stopped.
 */
public final class Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(Embedder.class);
    private static final Pattern TILE_NAME = Pattern.compile(".+_(\\d+)_(\\d+)");
    public static final String TILES_CSV_HEADER = "index,file,col,row,x,y,size";

    /** {@code csv}: also write the features as CSV; {@code tiling}: how slides are cut. */
    public record Options(boolean csv, TileCutter.Options tiling) {}

    /** What one input gave: its feature file and row count, or that it was already done; why it has no tiles, or null. */
    public record Result(Path input, Path features, int rows, boolean skipped, String note) {}

    private final FeatureExtractor extractor;
    private final Options options;

    public Embedder(FeatureExtractor extractor, Options options) {
        this.extractor = extractor;
        this.options = options;
    }

    /** The output name of an input: a folder's name, a slide's file name without extension. */
    public static String outputName(Path input) {
        return Files.isDirectory(input) ? input.toAbsolutePath().normalize().getFileName().toString() : SlideFiles.baseName(input);
    }

    /** Embeds one input, a folder of tiles or a slide, unless its outputs exist. */
    public Result embed(Path input, Path out) throws IOException {
        String name = outputName(input);
        Path npy = out.resolve(name + ".npy");
        Path tiles = out.resolve(name + ".tiles.csv");
        Path csv = out.resolve(name + ".csv");
        if (Files.exists(npy) && Files.exists(tiles) && (!options.csv() || Files.exists(csv))) {
            LOG.info("{}: {} exists, skipped", input, npy);
            return new Result(input, npy, NpyFloat.shape(npy)[0], true, null);
        }
        if (Files.isDirectory(input)) {
            List<Path> files = ImageFolder.images(input);
            if (files.isEmpty()) {
                throw new IOException(input + ": no images in this folder (." + String.join(", .",
                        ImageFolder.EXTENSIONS.stream().sorted().toList()) + "); for a dataset with one folder per class, "
                        + "embed each class folder or use 'unitpath probe'");
            }
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Matcher m = TILE_NAME.matcher(SlideFiles.baseName(files.get(i)));
                rows.add(CsvText.row(List.of(Integer.toString(i), files.get(i).toString(), m.matches() ? m.group(1) : "",
                        m.matches() ? m.group(2) : "", "", "", "")));
            }
            write(ImageSource.of(files), rows, npy, tiles, csv, input.toString());
        } else {
            try (SlideTiles slide = SlideTiles.open(input, options.tiling())) {
                List<String> rows = new ArrayList<>();
                List<SlideTiles.Cell> cells = slide.cells();
                for (int i = 0; i < cells.size(); i++) {
                    SlideTiles.Cell c = cells.get(i);
                    rows.add(CsvText.row(List.of(Integer.toString(i), input.toString(), Integer.toString(c.col()),
                            Integer.toString(c.row()), number(c.x()), number(c.y()), number(c.side()))));
                }
                if (slide.note() != null) {
                    LOG.warn("{}; writing an empty feature table", slide.note());
                }
                write(ImageSource.of(slide), rows, npy, tiles, csv, input.toString());
                return new Result(input, npy, cells.size(), false, slide.note());
            }
        }
        return new Result(input, npy, NpyFloat.shape(npy)[0], false, null);
    }

    /** The tile list first, then the features; the .npy appears last, when everything else is in place. */
    private void write(ImageSource source, List<String> rows, Path npy, Path tiles, Path csv, String what) throws IOException {
        AtomicFiles.write(tiles, false, o -> {
            o.write((TILES_CSV_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
            for (String r : rows) {
                o.write(r.getBytes(StandardCharsets.UTF_8));
            }
        });
        int c = extractor.features();
        if (!options.csv()) {
            AtomicFiles.write(npy, false, o -> features(source, c, o, null, what));
            return;
        }
        AtomicFiles.write(csv, false, text -> AtomicFiles.write(npy, false, o -> features(source, c, o, text, what)));
    }

    private void features(ImageSource source, int c, OutputStream npy, OutputStream text, String what) throws IOException {
        npy.write(NpyFloat.header(source.size(), c));
        if (text != null) {
            StringBuilder head = new StringBuilder("index");
            for (int j = 0; j < c; j++) {
                head.append(",f").append(j);
            }
            text.write(head.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
        int[] index = {0};
        extractor.run(source, (values, n) -> {
            NpyFloat.writeValues(npy, values);
            if (text != null) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    sb.append(index[0]++);
                    for (int j = 0; j < c; j++) {
                        sb.append(',').append(values[i * c + j]);
                    }
                    sb.append('\n');
                }
                text.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        }, what);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
