package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.RgbImage;
import org.unitpath.io.TiledTiffWriter;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.aperio.AperioXml;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.io.coco.CocoImage;
import org.unitpath.io.coco.Polygons;
import org.unitpath.testing.Fixtures;
import org.unitpath.testing.SharedTestData;

/**
 * The 13 real MoNuSeg training images of shared/testdata/monuseg-train13 against counts and masks
 * made independently with xml.etree and a numpy port of rleFrPoly (tools/fixtures/make_monuseg_references.py).
 */
class MonusegImportTest {
    static final String DATA = "monuseg-train13";
    static final String NO_MPP = "TCGA-NH-A8F7-01A-01-TS1";

    static Path src;
    static JsonNode reference;
    static MonusegImport.Result all;

    @TempDir
    Path dir;

    @BeforeEach
    void needsData() {
        SharedTestData.assume(src, DATA);
    }

    @BeforeAll
    static void importAll() throws IOException {
        src = SharedTestData.find(DATA);
        if (src == null) {
            return;
        }
        reference = new ObjectMapper().readTree(Fixtures.path("monuseg/references.json").toFile());
        all = MonusegImport.convert(MonusegImport.pairs(src, Set.of(), Set.of()));
    }

    @Test
    void regionAndKeptCountsAndMppMatchTheIndependentReader() {
        JsonNode images = reference.get("images");
        assertEquals(images.size(), all.images().size());
        int regions = 0;
        int kept = 0;
        for (MonusegImport.ImageReport r : all.images()) {
            JsonNode ref = images.get(r.stem());
            assertEquals(ref.get("regions").asInt(), r.regions(), r.stem());
            assertEquals(ref.get("kept").asInt(), r.regions() - r.skipped(), r.stem());
            if (ref.get("mpp").isNull()) {
                assertEquals(NO_MPP, r.stem());
            } else {
                assertEquals(ref.get("mpp").asDouble(), r.mpp().getAsDouble(), 0, r.stem());
                assertEquals("XML", r.mppSource());
            }
            regions += ref.get("regions").asInt();
            kept += ref.get("kept").asInt();
        }
        assertEquals(4951, regions, "the polygon count SOURCE.md gives");
        assertEquals(regions, all.regions());
        assertEquals(kept, all.dataset().annotations().size());
        assertEquals(3, all.skipped());
    }

    @Test
    void degeneratePolygonsAreSkipped() {
        Map<String, Integer> skipped = Map.of("TCGA-50-5931-01Z-00-DX1", 1, "TCGA-E2-A1B5-01Z-00-DX1", 1,
                "TCGA-AR-A1AK-01Z-00-DX1", 1);
        for (MonusegImport.ImageReport r : all.images()) {
            assertEquals(skipped.getOrDefault(r.stem(), 0), r.skipped(), r.stem());
        }
        for (CocoAnnotation a : all.dataset().annotations()) {
            assertTrue(a.area() > 0 && ((Polygons) a.segmentation()).rings().get(0).length >= 6, a::toString);
        }
    }

    @Test
    void missingMicronsPerPixelIsNullInTheFile() throws IOException {
        MonusegImport.ImageReport r = all.images().stream().filter(i -> i.stem().equals(NO_MPP)).findFirst().orElseThrow();
        assertFalse(r.mpp().isPresent());
        assertEquals("unknown", r.mppSource());
        // two images, one without mpp, keep the round trip fast
        List<CocoImage> two = all.dataset().images().stream().filter(i -> i.id() == 1 || i.stem().equals(NO_MPP)).toList();
        List<CocoAnnotation> anns = two.stream().flatMap(i -> all.dataset().annotationsOf(i.id()).stream()).toList();
        CocoDataset subset = new CocoDataset(two, all.dataset().categories(), anns);
        Path json = dir.resolve("a.json");
        subset.write(json);
        for (JsonNode i : new ObjectMapper().readTree(json.toFile()).get("images")) {
            assertTrue(i.has("mpp"), i::toString);
            assertEquals(i.get("file_name").asText().startsWith(NO_MPP), i.get("mpp").isNull(), i::toString);
        }
        CocoDataset back = CocoDataset.read(json);
        assertEquals(subset, back);
    }

    @Test
    void withoutMicronsPerPixelTheImageResolutionIsUsed() throws IOException {
        Path flat = Files.createDirectories(dir.resolve("flat"));
        try (TiledTiffWriter t = TiledTiffWriter.create(flat.resolve("x.tif"), TiledTiffWriter.Options.rgb(Compression.NONE))) {
            t.startPage(new TiledTiffWriter.Page(40, 30, OptionalDouble.of(0.5), ""));
            t.writeTile(0, 0, RgbImage.blank(40, 30));
            t.finish();
        }
        Files.writeString(flat.resolve("x.xml"), "<Annotations><Annotation><Regions><Region Id=\"1\"><Vertices>"
                + "<Vertex X=\"1\" Y=\"1\"/><Vertex X=\"9\" Y=\"1\"/><Vertex X=\"9\" Y=\"5\"/></Vertices></Region>"
                + "</Regions></Annotation></Annotations>");
        MonusegImport.Result r = MonusegImport.convert(MonusegImport.pairs(flat, Set.of(), Set.of()));
        assertEquals("image", r.images().get(0).mppSource());
        assertEquals(0.5, r.images().get(0).mpp().getAsDouble(), 1e-9);
        assertEquals(new CocoImage(1, "x.tif", 40, 30, r.images().get(0).mpp()), r.dataset().images().get(0));
        assertEquals(1, r.dataset().annotations().size());
    }

    @Test
    void rasterisedNucleiEqualTheIndependentRasterisation() throws IOException {
        int size = reference.get("size").asInt();
        for (JsonNode m : reference.get("masks")) {
            String stem = m.get("stem").asText();
            double[] xy = AperioXml.read(src.resolve("annotations").resolve(stem + ".xml")).regions().get(m.get("region").asInt()).xy();
            CocoImage image = all.dataset().images().stream().filter(i -> i.stem().equals(stem)).findFirst().orElseThrow();
            CocoAnnotation a = all.dataset().annotationsOf(image.id()).stream()
                    .filter(x -> Arrays.equals(((Polygons) x.segmentation()).rings().get(0), xy)).findFirst().orElseThrow();
            byte[] mask = a.segmentation().rasterise(size, size);
            assertEquals(m.get("area").asLong(), a.area(), stem);
            int x0 = m.get("x").asInt();
            int y0 = m.get("y").asInt();
            for (int y = 0; y < m.get("height").asInt(); y++) {
                StringBuilder row = new StringBuilder();
                for (int x = 0; x < m.get("width").asInt(); x++) {
                    row.append(mask[(y0 + y) * size + x0 + x]);
                }
                assertEquals(m.get("rows").get(y).asText(), row.toString(), stem + " region " + m.get("region") + " row " + y);
            }
        }
    }

    @Test
    void layoutsAndSplits() throws IOException {
        String a = "TCGA-21-5784-01Z-00-DX1";
        String b = "TCGA-B0-5710-01Z-00-DX1";
        Path zip = dir.resolve("zip");
        Path flat = dir.resolve("flat");
        for (String stem : List.of(a, b)) {
            link(src.resolve("images/" + stem + ".tif"), zip.resolve("Tissue Images/" + stem + ".tif"));
            link(src.resolve("annotations/" + stem + ".xml"), zip.resolve("Annotations/" + stem + ".xml"));
            link(src.resolve("images/" + stem + ".tif"), flat.resolve(stem + ".tif"));
            link(src.resolve("annotations/" + stem + ".xml"), flat.resolve(stem + ".xml"));
        }
        for (Path layout : List.of(zip, flat)) {
            assertEquals(List.of(a, b), MonusegImport.pairs(layout, Set.of(), Set.of()).stream().map(MonusegImport.Pair::stem).toList());
        }
        assertEquals(List.of(b), MonusegImport.pairs(src, Set.of(b), Set.of()).stream().map(MonusegImport.Pair::stem).toList());
        assertEquals(12, MonusegImport.pairs(src, Set.of(), Set.of(b)).size());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MonusegImport.pairs(src, Set.of("TCGA-XX"), Set.of()))
                .getMessage().endsWith("no image or XML named TCGA-XX"));
        Files.delete(flat.resolve(a + ".xml"));
        String message = assertThrows(IllegalArgumentException.class, () -> MonusegImport.pairs(flat, Set.of(), Set.of()))
                .getMessage();
        assertEquals("1 unmatched file(s): " + flat.resolve(a + ".tif") + " has no XML in " + flat + " (--exclude leaves them out)",
                message);
        assertEquals(List.of(b), MonusegImport.pairs(flat, Set.of(), Set.of(a)).stream().map(MonusegImport.Pair::stem).toList());
    }

    private static void link(Path target, Path link) throws IOException {
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, target);
    }
}
