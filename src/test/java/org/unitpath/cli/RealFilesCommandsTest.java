package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.testing.TinyNetworks;

/**
 * tiles, embed and segment on the real slides and images of the reader tests (Aperio JPEG and
 * JPEG 2000, generic TIFF, MoNuSeg LZW, Kather PackBits, DICOM JPEG / JPEG 2000 and a two-file
 * DICOM series), from one manifest: every file opens in every command.
 */
class RealFilesCommandsTest {
    private static final String QUICKSTART = TinyNetworks.QUICKSTART;
    private static final List<String> ALL = List.of("real/aperio/CMU-1-Small-Region.svs", "real/aperio/tcga-cr-7395-01a-01-ts1.svs",
            "real/openslide/boxes.tiff", "real/openslide/small.svs", "real/monuseg/TCGA-B0-5710-01Z-00-DX1.tif",
            "real/kather/TUM-AACHEHDV.tif", "dicom/wsi2dcm/jpeg.dcm", "dicom/wsi2dcm/jpeg2000.dcm", "dicom/boxes/boxes_0.dcm",
            "dicom/boxes/boxes_1.dcm");
    /** Files at most a few tiles large, for the slow untrained S. */
    private static final List<String> SMALL = List.of("real/openslide/boxes.tiff", "real/openslide/small.svs",
            "real/kather/TUM-AACHEHDV.tif", "dicom/wsi2dcm/jpeg.dcm", "dicom/boxes/boxes_0.dcm");

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static Path segWeights;
    private static Path trunkWeights;

    @BeforeAll
    static void networks() throws IOException {
        segWeights = TinyNetworks.segmenter(shared, 11);
        trunkWeights = TinyNetworks.trunk(shared, 11);
    }

    private static Path manifest(Path dir, List<String> files) throws IOException {
        StringBuilder csv = new StringBuilder("path,kind\n");
        for (String f : files) {
            try {
                csv.append(Path.of(RealFilesCommandsTest.class.getResource("/org/unitpath/io/slide/" + f).toURI())).append(',')
                        .append(f.substring(0, f.lastIndexOf('/'))).append('\n');
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        Path out = dir.resolve("cohort.csv");
        Files.writeString(out, csv);
        return out;
    }

    /** The summary's rows by file name: every listed slide done, the two DICOM files of one series one slide. */
    private static Map<String, Map<String, String>> allDone(Path summary, List<String> files) throws IOException {
        Map<String, Map<String, String>> rows = CohortCommandsTest.summary(summary);
        long series = files.stream().filter(f -> f.startsWith("dicom/boxes/")).count();
        assertEquals(files.size() - Math.max(0, series - 1), rows.size(), "one row per slide: " + rows.keySet());
        rows.forEach((name, row) -> assertEquals("done", row.get("status"), name + ": " + row));
        return rows;
    }

    @Test
    void tilesOpensEveryRealFile() throws IOException {
        Path out = dir.resolve("tiles");
        CliTest.Run r = CliTest.run("--threads", "2", "tiles", "--out", out.toString(), "--magnification", "5", "--tile", "64",
                "--min-tissue", "0", "--manifest", manifest(dir, ALL).toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Map<String, String>> rows = allDone(out.resolve("summary.csv"), ALL);
        for (String big : List.of("CMU-1-Small-Region.svs", "tcga-cr-7395-01a-01-ts1.svs", "TCGA-B0-5710-01Z-00-DX1.tif",
                "jpeg.dcm", "jpeg2000.dcm")) {
            assertTrue(Integer.parseInt(rows.get(big).get("tiles")) > 0, big + ": " + rows.get(big));
        }
        assertTrue(rows.get("small.svs").get("error").contains("smaller than one"), rows.get("small.svs").toString());
    }

    @Test
    void embedOpensEveryRealFile() throws IOException {
        Path out = dir.resolve("features");
        CliTest.Run r = CliTest.run("--threads", "2", "embed", "--weights", trunkWeights.toString(), "--device", "cpu", "--size",
                "32", "--batch", "8", "--tile", "64", "--magnification", "2.5", "--min-tissue", "0",
                "--out", out.toString(), "--manifest", manifest(dir, ALL).toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Map<String, String>> rows = allDone(out.resolve("summary.csv"), ALL);
        assertTrue(Integer.parseInt(rows.get("tcga-cr-7395-01a-01-ts1.svs").get("tiles")) > 10, rows.toString());
        assertTrue(Files.isRegularFile(out.resolve("jpeg2000.npy")), "DICOM JPEG 2000 features");
    }

    @Test
    void segmentOpensTheSmallerRealFiles() throws IOException {
        Path out = dir.resolve("nuclei");
        CliTest.Run r = CliTest.run("--threads", "2", "segment", "--weights", segWeights.toString(), "--config", QUICKSTART,
                "--device", "cpu", "--tile", "256", "--overlap", "32", "--max-detections", "5", "--min-tissue", "0",
                "--out", out.toString(), "--manifest", manifest(dir, SMALL).toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Map<String, String>> rows = allDone(out.resolve("summary.csv"), SMALL);
        for (String name : rows.keySet()) {
            String stem = name.substring(0, name.lastIndexOf('.'));
            assertTrue(Files.isRegularFile(out.resolve(stem + ".geojson")) && Files.isRegularFile(out.resolve(stem + ".labels.tif")),
                    name + " outputs");
        }
    }
}
