package org.unitpath.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** Structural checks of the GeoJSON that {@code unitpath segment} writes for QuPath. */
public final class GeoJsonAsserts {
    private GeoJsonAsserts() {}

    /**
     * Checks a document against the GeoJSON structure QuPath imports: a FeatureCollection of
     * Features with closed, counter-clockwise Polygon exterior rings of at least 4 positions and
     * QuPath's properties; returns the number of features.
     */
    public static int assertQuPathFeatureCollection(JsonNode root) {
        assertEquals("FeatureCollection", root.get("type").asText());
        assertTrue(root.get("features").isArray());
        for (JsonNode f : root.get("features")) {
            assertEquals("Feature", f.get("type").asText());
            JsonNode g = f.get("geometry");
            assertEquals("Polygon", g.get("type").asText());
            assertEquals(1, g.get("coordinates").size(), "one exterior ring, no holes");
            JsonNode ring = g.get("coordinates").get(0);
            assertTrue(ring.size() >= 4, "a linear ring has at least 4 positions");
            int n = ring.size();
            assertEquals(ring.get(0), ring.get(n - 1), "the ring is closed");
            double twiceArea = 0;
            for (int i = 0; i + 1 < n; i++) {
                assertEquals(2, ring.get(i).size());
                assertTrue(ring.get(i).get(0).isNumber() && ring.get(i).get(1).isNumber());
                twiceArea += ring.get(i).get(0).asDouble() * ring.get(i + 1).get(1).asDouble()
                        - ring.get(i + 1).get(0).asDouble() * ring.get(i).get(1).asDouble();
            }
            assertTrue(twiceArea > 0, "exterior ring counter-clockwise (right-hand rule)");
            JsonNode p = f.get("properties");
            assertEquals("detection", p.get("objectType").asText());
            assertTrue(p.get("classification").get("name").isTextual());
            JsonNode color = p.get("classification").get("color");
            assertEquals(3, color.size());
            color.forEach(c -> assertTrue(c.isInt() && c.asInt() >= 0 && c.asInt() <= 255));
            assertFalse(p.get("isLocked").asBoolean());
            assertTrue(p.get("measurements").isObject());
            p.get("measurements").forEach(v -> assertTrue(v.isNumber(), "measurements are numbers"));
            java.util.UUID.fromString(f.get("id").asText());
        }
        return root.get("features").size();
    }

}
