package org.unitpath.io.geojson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unitpath.testing.GeoJsonAsserts;

class GeoJsonWriterTest {
    @Test
    void writesAFeatureCollectionQuPathReads() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("Area µm^2", 12.5);
        m.put("Score", 0.75);
        try (GeoJsonWriter w = new GeoJsonWriter(bytes)) {
            w.write(new Feature("123e4567-e89b-12d3-a456-426614174000", "detection",
                    new double[] {1, 1, 3, 1, 3, 2.5, 1, 2.5, 1, 1}, "Nucleus", new int[] {200, 0, 0}, m));
            w.write(new Feature("123e4567-e89b-12d3-a456-426614174001", "detection",
                    new double[] {10, 10, 11, 10, 10.5, 11, 10, 10}, "Nucleus", new int[] {200, 0, 0}, Map.of()));
            assertEquals(2, w.features());
            w.finish();
        }
        JsonNode root = new ObjectMapper().readTree(bytes.toByteArray());
        assertEquals(2, GeoJsonAsserts.assertQuPathFeatureCollection(root));
        JsonNode first = root.get("features").get(0);
        assertEquals(12.5, first.get("properties").get("measurements").get("Area µm^2").asDouble());
        assertEquals(2.5, first.get("geometry").get("coordinates").get(0).get(2).get(1).asDouble());
        assertEquals("Nucleus", first.get("properties").get("classification").get("name").asText());
    }

    @Test
    void rejectsWhatJsonOrGeoJsonCannotHold() {
        double[] square = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
        int[] red = {255, 0, 0};
        assertThrows(IllegalArgumentException.class, () -> new Feature(null, "detection", square, "N", red,
                Map.of("Eccentricity", Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> new Feature(null, "detection", new double[] {0, 0, 1, 0, 1, 1, 0, 1},
                "N", red, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Feature(null, "detection", new double[] {0, 0, 1, 1, 0, 0},
                "N", red, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Feature(null, "detection", square, "N", new int[] {256, 0, 0},
                Map.of()));
    }
}
