package org.unitpath.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.unitpath.masks.MaskConfig;
import org.unitpath.masks.MaskFormat;
import org.unitpath.masks.MaskGenerator;

/**
 * The demo's datasets: pseudo masks ({@code masks}) and real H&E ({@code tissue}: the bundled
 * Kather colorectal tiles, CC BY 4.0), each in the folder named after the training scale, as the
 * release's loader expects (for 10x_64: 256-px tiles at 40x, cropped and resized to 64 by the loader).
 */
public final class DemoData {
    private static final String TILES = "/org/unitpath/demo/he/";
    /** Kather's tiles are 0.5 µm/px (NCT-CRC-HE-100K) and 0.495 µm/px (2016); their TIFF tags say 72 dpi. */
    private static final double KATHER_MPP = 0.5;

    private DemoData() {}

    public static void prepare(Path root, String scale, int maskCanvases, int threads) throws IOException, InterruptedException {
        new MaskDatasetWriter(new MaskGenerator(MaskConfig.defaults(), 1), MaskFormat.MULTICHANNEL, root.resolve("masks"), scale)
                .write(maskCanvases, threads);
        Path tissue = root.resolve("tissue");
        List<Path> images = copyBundledTiles(Files.createDirectories(tissue.resolve("source")));
        // each tile is one 256-px tile at 40x once upsampled from 20x
        TileCutter cutter = new TileCutter(new TileCutter.Options(256, 0.25, OptionalDouble.of(KATHER_MPP), 0.0, threads, false));
        Path cut = tissue.resolve("cut");
        cutter.cutAll(images, cut);
        Path target = Files.createDirectories(tissue.resolve(scale));
        try (var files = Files.list(cut.resolve(cutter.scaleName()))) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().endsWith(".png")) {
                    Files.move(p, target.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        // the tiles moved away: without their markers the next demo cuts the images again instead of skipping them
        for (Path image : images) {
            Files.deleteIfExists(TileCutter.marker(cut.resolve(cutter.scaleName()), SlideFiles.baseName(image)));
        }
    }

    /** The bundled H&E tiles (listed in {@code he/FILES}), copied into {@code dir}. */
    public static List<Path> copyBundledTiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String name : bundledNames()) {
            Path file = dir.resolve(name);
            try (InputStream in = resource(name)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(file);
        }
        return out;
    }

    private static List<String> bundledNames() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource("FILES"), StandardCharsets.UTF_8))) {
            return r.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DemoData.class.getResourceAsStream(TILES + name);
        if (in == null) {
            throw new IOException("the bundled demo tile " + name + " is missing from the unitpath jar");
        }
        return in;
    }
}
