package org.unitpath.io.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Masks and polygons with the RLE strings pycocotools' C code gives them (test resources pycocotools/SOURCE.md). */
class PycocotoolsCasesTest {
    private static JsonNode cases() throws Exception {
        return new ObjectMapper().readTree(PycocotoolsCasesTest.class.getResource("/pycocotools/rle_cases.json"));
    }

    @Test
    void randomMasksEncodeToTheSameStrings() throws Exception {
        JsonNode masks = cases().get("masks");
        assertEquals(30, masks.size());
        for (JsonNode c : masks) {
            int h = c.get("height").asInt();
            int w = c.get("width").asInt();
            byte[] m = new byte[w * h];
            for (int y = 0; y < h; y++) {
                String row = c.get("rows").get(y).asText();
                for (int x = 0; x < w; x++) {
                    m[y * w + x] = (byte) (row.charAt(x) - '0');
                }
            }
            String counts = c.get("counts").asText();
            assertEquals(counts, Rle.encode(m, w, h).compressedCounts());
            assertEquals(Rle.encode(m, w, h), Rle.fromCompressed(counts, h, w));
        }
    }

    @Test
    void randomPolygonsRasteriseToTheSameMasks() throws Exception {
        JsonNode polys = cases().get("polygons");
        assertEquals(60, polys.size());
        for (JsonNode c : polys) {
            List<double[]> rings = new ArrayList<>();
            for (JsonNode ring : c.get("polygons")) {
                double[] r = new double[ring.size()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = ring.get(i).asDouble();
                }
                rings.add(r);
            }
            Rle r = new Polygons(rings).toRle(c.get("width").asInt(), c.get("height").asInt());
            assertEquals(c.get("counts").asText(), r.compressedCounts(), c.get("polygons").toString());
        }
    }
}
