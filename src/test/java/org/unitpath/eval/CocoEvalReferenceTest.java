package org.unitpath.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.io.coco.CocoImage;

/** AP against pycocotools' COCOeval on a random 5-image scenario (test resources pycocotools/SOURCE.md). */
class CocoEvalReferenceTest {
    static Path resource(String name) throws Exception {
        return Path.of(CocoEvalReferenceTest.class.getResource("/pycocotools/" + name).toURI());
    }

    @Test
    void matchesCocoevalForMasksAndBoxesWithAndWithoutCategories() throws Exception {
        CocoDataset truth = CocoDataset.read(resource("truth.json"));
        List<CocoAnnotation> results = CocoDataset.readResults(resource("results.json"));
        Map<Long, List<CocoAnnotation>> gts = truth.annotationsByImage();
        List<CocoEval.Image> images = new ArrayList<>();
        for (CocoImage i : truth.images()) {
            List<CocoAnnotation> dets = results.stream().filter(r -> r.imageId() == i.id()).toList();
            images.add(new CocoEval.Image(i.id(), i.width(), i.height(), gts.get(i.id()), dets));
        }
        JsonNode expected = new ObjectMapper().readTree(resource("expected.json").toFile());
        assertEquals(8, expected.size());
        for (JsonNode e : expected) {
            boolean masks = e.get("iou_type").asText().equals("segm");
            CocoEval.Result r = CocoEval.evaluate(images, masks, e.get("max_dets").asInt(), e.get("use_cats").asInt() == 1);
            double[] got = {r.ap(), r.ap50(), r.ap75(), r.apSmall(), r.apMedium(), r.apLarge()};
            for (int k = 0; k < 6; k++) {
                JsonNode v = e.get("ap").get(k);
                String what = e + " value " + k;
                if (v.isNull()) {
                    assertTrue(Double.isNaN(got[k]), what);
                } else {
                    assertEquals(v.asDouble(), got[k], 1e-12, what);
                }
            }
        }
    }
}
