package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.data.NucleusImage;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.io.coco.Polygons;
import org.unitpath.testing.SharedTestData;

/** {@code import monuseg} and {@code evaluate --truth <xml>} on two real MoNuSeg images (shared/testdata/monuseg-train13). */
class ImportMonusegCommandTest {
    static final String DATA = "monuseg-train13";
    static final String A = "TCGA-50-5931-01Z-00-DX1";
    static final String B = "TCGA-NH-A8F7-01A-01-TS1";

    @TempDir
    static Path dir;
    static Path src;
    static CliTest.Run imported;

    @BeforeEach
    void needsData() {
        SharedTestData.assume(src, DATA);
    }

    @BeforeAll
    static void importTwo() {
        src = SharedTestData.find(DATA);
        if (src == null) {
            return;
        }
        imported = CliTest.run("import", "monuseg", src.toString(), "--out", dir.resolve("out").toString(), "--include", A + "," + B);
    }

    @Test
    void writesImagesUnchangedAndCountsPerImage() throws IOException {
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains(A + ": 445 regions, 444 kept, 1 skipped, mpp 0.2468 (XML)"), imported.out());
        assertTrue(imported.out().contains(B + ": 363 regions, 363 kept, 0 skipped, mpp unknown"), imported.out());
        assertTrue(imported.out().contains("import monuseg: 2 images, 808 regions, 807 polygons kept, 1 skipped as degenerate"),
                imported.out());
        for (String stem : List.of(A, B)) {
            assertArrayEquals(Files.readAllBytes(src.resolve("images/" + stem + ".tif")),
                    Files.readAllBytes(dir.resolve("out/images/" + stem + ".tif")), stem);
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/annotations.json").toFile());
        assertEquals("nucleus", json.get("categories").get(0).get("name").asText());
        assertEquals(807, json.get("annotations").size());
        assertEquals(0, json.get("annotations").get(0).get("iscrowd").asInt());
        assertTrue(json.get("images").get(1).get("mpp").isNull());
        List<NucleusImage> training = NucleusImage.loadCoco(dir.resolve("out/annotations.json"), dir.resolve("out/images"));
        assertEquals(List.of(444, 363), training.stream().map(i -> i.nuclei().size()).toList(), "what finetune seg reads");
    }

    @Test
    void evaluateWithXmlTruthEqualsEvaluateWithTheImportedFile() throws IOException {
        assertEquals(0, imported.code(), imported.err());
        Path json = dir.resolve("out/annotations.json");
        Path pred = predictions(CocoDataset.read(json), dir.resolve("pred.json"));
        Path xmls = Files.createDirectories(dir.resolve("xml"));
        for (String stem : List.of(A, B)) {
            Files.createSymbolicLink(xmls.resolve(stem + ".xml"), src.resolve("annotations/" + stem + ".xml"));
        }
        CliTest.Run fromJson = CliTest.run("--threads", "1", "evaluate", "--truth", json.toString(), "--pred", pred.toString(),
                "--format", "json");
        CliTest.Run fromXml = CliTest.run("--threads", "1", "evaluate", "--truth", xmls.toString(), "--pred", pred.toString(),
                "--format", "json");
        assertEquals(0, fromJson.code(), fromJson.err());
        assertEquals(0, fromXml.code(), fromXml.err());
        JsonNode report = new ObjectMapper().readTree(fromJson.out());
        assertEquals(2, report.get("images").asInt());
        assertTrue(report.get("ap").isNumber(), fromJson.out());
        assertEquals(fromJson.out(), fromXml.out());
        CliTest.Run one = CliTest.run("--threads", "1", "evaluate", "--truth", xmls.resolve(A + ".xml").toString(), "--pred",
                pred.toString(), "--allow-missing", "--format", "json");
        assertEquals(0, one.code(), one.err());
        assertEquals(report.get("per_image").get(0), new ObjectMapper().readTree(one.out()).get("per_image").get(0));
    }

    /** Scored detections: every fourth nucleus dropped, the others shifted by (1.5, -0.75) px. */
    private static Path predictions(CocoDataset truth, Path file) throws IOException {
        List<CocoAnnotation> out = new ArrayList<>();
        for (CocoAnnotation a : truth.annotations()) {
            if (a.id() % 4 == 0) {
                continue;
            }
            double[] xy = ((Polygons) a.segmentation()).rings().get(0).clone();
            for (int i = 0; i < xy.length; i += 2) {
                xy[i] += 1.5;
                xy[i + 1] -= 0.75;
            }
            out.add(new CocoAnnotation(a.id(), a.imageId(), a.categoryId(), a.bbox(), a.area(), new Polygons(List.of(xy)), false,
                    OptionalDouble.of(0.05 + 0.9 * (a.id() % 10) / 10.0)));
        }
        new CocoDataset(truth.images(), truth.categories(), out).write(file);
        return file;
    }

    @Test
    void brokenXmlIsOneClearLine() throws IOException {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.copy(src.resolve("images/" + A + ".tif"), bad.resolve("x.tif"));
        Files.writeString(bad.resolve("x.xml"), "<Annotations><Annotation><Regions><Region Id=\"1\"><Vertices>\n"
                + "<Vertex X=\"1\" Y=\"2\"/>\n</Regions></Annotation></Annotations>\n");
        CliTest.Run r = CliTest.run("import", "monuseg", bad.toString(), "--out", dir.resolve("bad-out").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("unitpath: error: " + bad.resolve("x.xml") + ": not well-formed XML at line 3: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(Files.notExists(dir.resolve("bad-out/annotations.json")));
    }
}
