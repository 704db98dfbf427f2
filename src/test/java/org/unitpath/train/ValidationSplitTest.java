package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.data.NucleusImage;

/** TEST.VAL_FRACTION: whole images held out by TEST.VAL_SEED, disjoint from training, recorded and checked on resume. */
class ValidationSplitTest {
    @TempDir
    Path dir;

    private static List<NucleusImage> images(int n) {
        return IntStream.range(0, n).mapToObj(i -> new NucleusImage("img_" + i + ".png", null, List.of())).toList();
    }

    private static List<String> names(List<NucleusImage> l) {
        return l.stream().map(NucleusImage::name).toList();
    }

    @Test
    void holdsOutASeededStableDisjointShare() {
        Path json = Path.of("train.json");
        ValidationSplit.Parts a = ValidationSplit.of(images(10), 0.2, 0, json);
        assertEquals(2, a.val().size());
        assertEquals(8, a.train().size());
        Set<String> all = new HashSet<>(names(a.train()));
        all.addAll(a.valNames());
        assertEquals(10, all.size(), "every image on exactly one side");
        assertEquals(a.valNames(), ValidationSplit.of(images(10), 0.2, 0, json).valNames(), "the same seed, the same split");
        assertNotEquals(a.valNames(), ValidationSplit.of(images(10), 0.2, 1, json).valNames());
        assertEquals(1, ValidationSplit.of(images(8), 0.01, 0, json).val().size(), "at least one image held out");
        assertEquals(1, ValidationSplit.of(images(2), 0.9, 0, json).train().size(), "at least one image left to train on");
        var e = assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(images(1), 0.2, 0, json));
        assertTrue(e.getMessage().startsWith("train.json has 1 image, but TEST.VAL_FRACTION 0.2 needs at least 2"), e.getMessage());
    }

    @Test
    void recordsTheSplitAndRefusesToResumeWithAnother() throws Exception {
        Path json = Path.of("train.json");
        ValidationSplit.Parts a = ValidationSplit.of(images(8), 0.25, 0, json);
        ValidationSplit.record(dir, a, 0.25, 0, json, false);
        JsonNode rec = new ObjectMapper().readTree(dir.resolve(ValidationSplit.FILE).toFile());
        assertEquals(a.valNames(), names(rec.get("val")));
        assertEquals(6, rec.get("train").size());
        assertEquals(0, rec.get("val_seed").asLong());
        ValidationSplit.record(dir, a, 0.25, 0, json, true);
        ValidationSplit.Parts b = ValidationSplit.of(images(8), 0.25, 3, json);
        var e = assertThrows(IllegalArgumentException.class, () -> ValidationSplit.record(dir, b, 0.25, 3, json, true));
        assertTrue(e.getMessage().startsWith(dir.resolve("split.json") + " holds out " + a.valNames()), e.getMessage());
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
