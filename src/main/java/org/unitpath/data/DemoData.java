package org.unitpath.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.OptionalDouble;
import org.unitpath.masks.MaskConfig;
import org.unitpath.masks.MaskFormat;
import org.unitpath.masks.MaskGenerator;

/**
 * The demo's datasets: pseudo masks ({@code masks}) and tiles of the bundled 512x512 colon image
 * ({@code tissue}), each in the folder named after the training scale, as the release's loader
 * expects (for 10x_64: 256-px tiles at 40x, cropped and resized to 64 by the loader).
 */
public final class DemoData {
    private DemoData() {}

    public static void prepare(Path root, String scale, int maskCanvases, int threads) throws IOException, InterruptedException {
        new MaskDatasetWriter(new MaskGenerator(MaskConfig.defaults(), 1), MaskFormat.MULTICHANNEL, root.resolve("masks"), scale)
                .write(maskCanvases, threads);
        Path tissue = root.resolve("tissue");
        Path image = tissue.resolve("source").resolve("ihc.png");
        Files.createDirectories(image.getParent());
        try (InputStream in = DemoData.class.getResourceAsStream("/org/unitpath/demo/ihc.png")) {
            if (in == null) {
                throw new IOException("the bundled demo image is missing from the unitpath jar");
            }
            Files.copy(in, image, StandardCopyOption.REPLACE_EXISTING);
        }
        TileCutter cutter = new TileCutter(new TileCutter.Options(256, 0.25, OptionalDouble.of(0.25), 0.0, threads, false));
        Path cut = tissue.resolve("cut");
        cutter.cutAll(List.of(image), cut);
        Path target = Files.createDirectories(tissue.resolve(scale));
        try (var files = Files.list(cut.resolve(cutter.scaleName()))) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().endsWith(".png")) {
                    Files.move(p, target.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        // the tiles moved away: without its marker the next demo cuts the image again instead of skipping it
        Files.deleteIfExists(TileCutter.marker(cut.resolve(cutter.scaleName()), SlideFiles.baseName(image)));
    }
}
