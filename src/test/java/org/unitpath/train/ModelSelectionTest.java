package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The best weights are chosen on validation only; the test set is reported, never compared. */
class ModelSelectionTest {
    private static ModelSelection.Point at(long it, double valAji, double testAji) {
        return new ModelSelection.Point(it, Map.of("aji", valAji, "pq", 0.1), Map.of("aji", testAji));
    }

    /** Validation peaks at 200, test at 100 and 300: the old selection on the test set would keep 100. */
    @Test
    void choosesOnValidationWhereTheTestSetDisagrees() throws Exception {
        ModelSelection sel = new ModelSelection("aji", true);
        assertTrue(sel.offer(at(100, 0.5, 0.9)));
        assertTrue(sel.offer(at(200, 0.7, 0.4)));
        assertFalse(sel.offer(at(300, 0.6, 0.8)));
        assertEquals(200, sel.chosen().iteration());
        assertEquals(0.4, sel.chosen().test().get("aji"));
        assertEquals(300, sel.last().iteration());
        assertEquals("val_aji", sel.chosenBy());
        JsonNode json = new ObjectMapper().readTree(sel.json());
        assertEquals(200, json.get("iteration").asLong());
        assertEquals("val_aji", json.get("chosen_by").asText());
        assertEquals(300, json.get("last_iteration").asLong());
        assertEquals(0.7, json.get("val").get("aji").asDouble());
        assertEquals(0.4, json.get("test").get("aji").asDouble());
        assertEquals(0.6, json.get("last_val").get("aji").asDouble());
        assertEquals(0.8, json.get("last_test").get("aji").asDouble());
    }

    @Test
    void withoutValidationTheLastEvaluationStandsInAndSaysSo() throws Exception {
        ModelSelection sel = new ModelSelection("aji", false);
        assertTrue(sel.offer(new ModelSelection.Point(100, Map.of(), Map.of("aji", 0.9))));
        assertTrue(sel.offer(new ModelSelection.Point(200, Map.of(), Map.of("aji", 0.3))));
        assertEquals(200, sel.chosen().iteration());
        assertEquals(ModelSelection.LAST, sel.chosenBy());
        JsonNode json = new ObjectMapper().readTree(sel.json());
        assertEquals("last", json.get("chosen_by").asText());
        assertEquals(200, json.get("iteration").asLong());
        assertTrue(json.get("note").asText().contains("no validation set"));
        assertEquals(0.3, json.get("test").get("aji").asDouble());
        assertNull(json.get("val"), "no validation metrics to report");
    }

    @Test
    void aNanValidationValueIsNeverChosenAndTheStateRoundTrips() {
        ModelSelection sel = new ModelSelection("aji", true);
        assertFalse(sel.offer(at(100, Double.NaN, 0.9)));
        assertNull(sel.chosen());
        sel.offer(at(200, 0.2, 0.1));
        sel.offer(at(300, 0.1, 0.5));
        ModelSelection back = new ModelSelection("aji", true);
        back.restore(sel.state());
        assertEquals(sel.chosen(), back.chosen());
        assertEquals(sel.last(), back.last());
        assertEquals(sel.json(), back.json());
        ModelSelection old = new ModelSelection("aji", true);
        old.restore(Map.of("best_iteration", 100L));
        assertNull(old.chosen(), "a checkpoint from before validation existed carries no choice");
    }
}
