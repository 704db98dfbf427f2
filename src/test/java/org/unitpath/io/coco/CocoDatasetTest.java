package org.unitpath.io.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFormatException;

class CocoDatasetTest {
    @TempDir
    Path dir;

    static CocoDataset sample() {
        Rle mask = Rle.encode(new byte[] {0, 1, 1, 0, 0, 1}, 3, 2);
        return new CocoDataset(
                List.of(new CocoImage(7, "slides/a.png", 3, 2), new CocoImage(9, "b.tif", 10, 10)),
                List.of(new CocoCategory(1, "nucleus"), new CocoCategory(2, "lymphocyte")),
                List.of(CocoAnnotation.truth(100, 7, 1, mask),
                        new CocoAnnotation(101, 9, 2, new double[] {1, 1, 3, 2}, 6.5,
                                new Polygons(List.of(new double[] {1, 1, 1, 3, 4.25, 3, 4, 1})), true, OptionalDouble.empty()),
                        CocoAnnotation.detection(102, 9, 1, new Polygons(List.of(new double[] {0, 0, 4, 0, 0, 4})).toRle(10, 10), 0.875)));
    }

    @Test
    void writeThenReadGivesTheSameDataset() throws IOException {
        CocoDataset d = sample();
        Path f = dir.resolve("out/instances.json");
        d.write(f);
        CocoDataset back = CocoDataset.read(f);
        assertEquals(d, back);
        String text = Files.readString(f);
        assertTrue(text.contains("\"counts\":\"2111\""), "RLE written with compressed string counts: " + text);
        assertTrue(text.contains("\"bbox\":[1,0,2,2]"), text);
        assertEquals(List.of(d.annotations().get(1), d.annotations().get(2)), back.annotationsOf(9));
        assertEquals(7, back.image("a.png").orElseThrow().id());
        assertEquals(9, back.image("b.tif").orElseThrow().id());
        assertFalse(back.image("c.png").isPresent());
        assertEquals("a", back.images().get(0).stem());
    }

    @Test
    void missingBoxAndAreaAreComputedFromTheMask() throws IOException {
        Path f = write("m.json", """
                {"images": [{"id": 1, "file_name": "x.png", "width": 6, "height": 5}],
                 "annotations": [{"id": 3, "image_id": 1, "category_id": 1,
                                  "segmentation": [[1, 1, 1, 3, 4, 3, 4, 1]]},
                                 {"id": 4, "image_id": 1, "category_id": 1, "iscrowd": 1,
                                  "segmentation": {"size": [5, 6], "counts": [6, 2, 3, 2, 3, 2, 12]}}]}""");
        CocoDataset d = CocoDataset.read(f);
        assertArrayEquals(new double[] {1, 1, 3, 2}, d.annotations().get(0).bbox());
        assertEquals(6, d.annotations().get(0).area());
        assertTrue(d.annotations().get(1).crowd());
        assertEquals(d.annotations().get(0).segmentation().toRle(6, 5), d.annotations().get(1).segmentation());
        assertTrue(d.categories().isEmpty());
    }

    @Test
    void resultsFollowLoadRes() throws IOException {
        Path f = write("r.json", """
                [{"image_id": 1, "category_id": 1, "score": 0.9, "segmentation": {"size": [2, 3], "counts": "2111"}},
                 {"image_id": 1, "category_id": 1, "score": 0.4, "bbox": [0, 0, 2, 1]},
                 {"image_id": 2, "category_id": 1, "score": 0.8, "bbox": [1, 0, 2, 2], "segmentation": {"size": [2, 3], "counts": "2111"}}]""");
        List<CocoAnnotation> r = CocoDataset.readResults(f);
        assertEquals(3, r.size());
        assertEquals(List.of(1L, 2L, 3L), r.stream().map(CocoAnnotation::id).toList());
        assertEquals(3, r.get(0).area(), "mask area when there is no box");
        assertArrayEquals(new double[] {1, 0, 2, 2}, r.get(0).bbox());
        assertEquals(2, r.get(1).area(), "box area when a box is given");
        assertEquals(Polygons.ofBox(new double[] {0, 0, 2, 1}), r.get(1).segmentation());
        assertEquals(4, r.get(2).area(), "box area even with a mask, as loadRes");
        assertEquals(0.8, r.get(2).score().getAsDouble());
    }

    @Test
    void errorsNameTheFileAndTheJsonPath() throws IOException {
        assertError("{\"images\": [", "not valid JSON");
        assertError("[]", "this is an array");
        assertError("{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 4}]}", "images[0]: missing 'height'");
        assertError("{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 4, \"height\": \"big\"}]}",
                "images[0].height: expected an integer");
        String img = "{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 3, \"height\": 2}], \"annotations\": [";
        assertError(img + "{\"id\": 1, \"image_id\": 5, \"category_id\": 1, \"segmentation\": [[0,0,1,0,1,1]]}]}",
                "annotations[0].image_id: no image with id 5");
        assertError(img + "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"segmentation\": [[0,0,1,0]]}]}",
                "annotations[0].segmentation: polygon 0 has 4 numbers");
        assertError(img + "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"segmentation\": {\"size\": [3, 2], \"counts\": \"6\"}}]}",
                "annotations[0].segmentation.size: mask size 3x2");
        assertError(img + "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"segmentation\": {\"size\": [2, 3], \"counts\": \"2~\"}}]}",
                "annotations[0].segmentation.counts: compressed RLE counts contain '~'");
        assertError(img + "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"segmentation\": [[0,0,1,0,1,1]]},"
                + "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"segmentation\": [[0,0,1,0,1,1]]}]}",
                "annotations[1].id: annotation id 1 appears twice");
        Path r = write("res.json", "[{\"image_id\": 1, \"category_id\": 1, \"segmentation\": {\"size\": [2, 3], \"counts\": \"2111\"}}]");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> CocoDataset.readResults(r));
        assertTrue(e.getMessage().equals(r + ": [0]: missing 'score'"), e.getMessage());
    }

    private void assertError(String json, String expected) throws IOException {
        Path f = write("bad.json", json);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> CocoDataset.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
