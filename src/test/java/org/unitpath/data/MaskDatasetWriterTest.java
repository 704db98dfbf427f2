package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.Npy;
import org.unitpath.io.RgbImage;
import org.unitpath.masks.MaskConfig;
import org.unitpath.masks.MaskFormat;
import org.unitpath.masks.MaskGenerator;

class MaskDatasetWriterTest {
    @TempDir
    Path dir;
    private final MaskConfig cfg = MaskConfig.defaults().withCanvas(512, 256);

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void writesTheReleaseLayoutAndTilesMatchTheInstanceMaps() throws IOException {
        Path out = dir.resolve("colon_multichannel");
        MaskDatasetWriter.Result r = new MaskDatasetWriter(new MaskGenerator(cfg, 1), MaskFormat.MULTICHANNEL, out, "40x_256")
                .write(3, 2);
        assertEquals(12, r.tilesWritten());
        List<String> names = files(out);
        assertTrue(names.containsAll(List.of("40x_256/000000_0_0.png", "40x_256/000002_1_1.png", "cell_mask/000001.npy",
                "stats.json", "preview.png")), names.toString());
        assertEquals(12 + 3 + 2, names.size(), "no temporary files left: " + names);

        Npy.IntMap map = Npy.read(out.resolve("cell_mask/000002.npy"));
        RgbImage tile = ImageFiles.read(out.resolve("40x_256/000002_1_0.png"));
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                boolean nucleus = map.get(256 + x, y) != 0;
                boolean painted = (tile.get(x, y, 1) | tile.get(x, y, 2)) != 0;
                assertEquals(nucleus, painted, "tile (1,0) pixel " + x + "," + y + " against the canvas map");
            }
        }
        JsonNode stats = new ObjectMapper().readTree(out.resolve("stats.json").toFile());
        assertEquals(12, stats.get("tiles").asInt());
        double mean = stats.get("nuclei_per_tile").get("mean").asDouble();
        assertTrue(mean > 5 && mean < 25, "nuclei per tile " + mean);
        assertTrue(stats.get("class_mix").get("arranged").asDouble() > 0);
        assertEquals("7:18", stats.get("config").get("nuclei_per_tile").asText());
    }

    @Test
    void outputDoesNotDependOnThreadsAndRerunsKeepFinishedFiles() throws IOException {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        new MaskDatasetWriter(new MaskGenerator(cfg, 9), MaskFormat.GREY, one, "40x_256").write(2, 1);
        new MaskDatasetWriter(new MaskGenerator(cfg, 9), MaskFormat.GREY, two, "40x_256").write(2, 3);
        for (String f : files(one)) {
            if (!f.equals("stats.json")) {
                assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(two.resolve(f)), f);
            }
        }
        Files.delete(two.resolve("40x_256/000001_0_1.png"));
        MaskDatasetWriter.Result again = new MaskDatasetWriter(new MaskGenerator(cfg, 9), MaskFormat.GREY, two, "40x_256")
                .write(2, 2);
        assertEquals(1, again.tilesWritten());
        assertEquals(7, again.tilesKept());
        assertArrayEquals(Files.readAllBytes(one.resolve("40x_256/000001_0_1.png")),
                Files.readAllBytes(two.resolve("40x_256/000001_0_1.png")), "the missing tile is made again, identical");
        RgbImage grey = ImageFiles.read(one.resolve("40x_256/000000_0_0.png"));
        for (int i = 0; i < grey.rgb().length; i += 3) {
            assertEquals(grey.rgb()[i], grey.rgb()[i + 1]);
            assertEquals(grey.rgb()[i], grey.rgb()[i + 2]);
        }
    }
}
