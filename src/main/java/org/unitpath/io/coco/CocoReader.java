package org.unitpath.io.coco;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.unitpath.io.ImageFormatException;

/** Parses COCO instance files and detection result arrays, checking each field where it is. */
final class CocoReader {
    private CocoReader() {}

    static CocoDataset dataset(Path file) throws IOException {
        JsonPath root = JsonPath.read(file);
        if (!root.node.isObject()) {
            throw root.error("a COCO dataset is a JSON object with 'images' and 'annotations'"
                    + (root.node.isArray() ? " (this is an array: a detection results file?)" : ""));
        }
        List<CocoImage> images = new ArrayList<>();
        Map<Long, CocoImage> byId = new HashMap<>();
        for (JsonPath j : root.get("images").elements()) {
            CocoImage img = image(j);
            if (byId.put(img.id(), img) != null) {
                throw j.get("id").error("image id " + img.id() + " appears twice");
            }
            images.add(img);
        }
        List<CocoCategory> categories = new ArrayList<>();
        if (root.has("categories")) {
            for (JsonPath j : root.get("categories").elements()) {
                categories.add(new CocoCategory(j.get("id").asInt(), j.has("name") ? j.get("name").asText() : ""));
            }
        }
        Set<Integer> categoryIds = new HashSet<>();
        categories.forEach(c -> categoryIds.add(c.id()));
        List<CocoAnnotation> annotations = new ArrayList<>();
        Set<Long> annotationIds = new HashSet<>();
        List<JsonPath> anns = root.has("annotations") ? root.get("annotations").elements() : List.of();
        for (JsonPath j : anns) {
            long id = j.get("id").asLong();
            if (!annotationIds.add(id)) {
                throw j.get("id").error("annotation id " + id + " appears twice");
            }
            long imageId = j.get("image_id").asLong();
            CocoImage img = byId.get(imageId);
            if (img == null) {
                throw j.get("image_id").error("no image with id " + imageId + " in 'images'");
            }
            int category = j.get("category_id").asInt();
            if (!categories.isEmpty() && !categoryIds.contains(category)) {
                throw j.get("category_id").error("no category with id " + category + " in 'categories'");
            }
            CocoSegmentation seg = segmentation(j.get("segmentation"), img);
            Rle mask = null;
            double[] bbox;
            if (j.has("bbox")) {
                bbox = box(j.get("bbox"));
            } else {
                mask = seg.toRle(img.width(), img.height());
                bbox = mask.bbox();
            }
            double area;
            if (j.has("area")) {
                area = j.get("area").asDouble();
            } else {
                area = (mask != null ? mask : seg.toRle(img.width(), img.height())).area();
            }
            boolean crowd = j.has("iscrowd") && j.get("iscrowd").asFlag();
            OptionalDouble score = j.has("score") ? OptionalDouble.of(j.get("score").asDouble()) : OptionalDouble.empty();
            annotations.add(new CocoAnnotation(id, imageId, category, bbox, area, seg, crowd, score));
        }
        return new CocoDataset(images, categories, annotations);
    }

    /**
     * A results array as {@code COCO.loadRes} reads it: ids become 1, 2, ... in file order; the
     * area is the box's when a box is given, else the mask's; a box alone becomes a 4-point polygon.
     */
    static List<CocoAnnotation> results(Path file) throws IOException {
        JsonPath root = JsonPath.read(file);
        if (!root.node.isArray()) {
            throw root.error("a detection results file is a JSON array of {image_id, category_id, segmentation, score}"
                    + (root.node.isObject() ? " (this is an object: a full COCO dataset?)" : ""));
        }
        List<CocoAnnotation> out = new ArrayList<>();
        for (JsonPath j : root.elements()) {
            long imageId = j.get("image_id").asLong();
            int category = j.get("category_id").asInt();
            double score = j.get("score").asDouble();
            CocoSegmentation seg;
            double[] bbox;
            double area;
            if (j.has("bbox")) {
                bbox = box(j.get("bbox"));
                area = bbox[2] * bbox[3];
                seg = j.has("segmentation") ? segmentation(j.get("segmentation"), null) : Polygons.ofBox(bbox);
            } else {
                JsonPath s = j.get("segmentation");
                if (!(segmentation(s, null) instanceof Rle rle)) {
                    throw s.error("polygon results need a 'bbox' too (pycocotools reads result masks as RLE only)");
                }
                seg = rle;
                bbox = rle.bbox();
                area = rle.area();
            }
            out.add(new CocoAnnotation(out.size() + 1, imageId, category, bbox, area, seg, false, OptionalDouble.of(score)));
        }
        return out;
    }

    private static CocoImage image(JsonPath j) throws ImageFormatException {
        long id = j.get("id").asLong();
        String name = j.get("file_name").asText();
        int width = j.get("width").asInt();
        int height = j.get("height").asInt();
        if (width <= 0 || height <= 0) {
            throw j.error("image size must be positive, got " + width + "x" + height);
        }
        if (!j.has("mpp")) {
            return new CocoImage(id, name, width, height);
        }
        double mpp = j.get("mpp").asDouble();
        if (!(mpp > 0)) {
            throw j.get("mpp").error("µm per pixel must be positive, got " + mpp);
        }
        return new CocoImage(id, name, width, height, OptionalDouble.of(mpp));
    }

    private static double[] box(JsonPath j) throws ImageFormatException {
        double[] b = j.asDoubles();
        if (b.length != 4 || b[2] < 0 || b[3] < 0) {
            throw j.error("expected [x, y, width, height] with width, height >= 0");
        }
        return b;
    }

    /** Polygons, compressed RLE or uncompressed RLE; an RLE's size must match the image when it is known. */
    private static CocoSegmentation segmentation(JsonPath j, CocoImage img) throws ImageFormatException {
        if (j.node.isArray()) {
            List<double[]> rings = new ArrayList<>();
            for (JsonPath ring : j.elements()) {
                rings.add(ring.asDoubles());
            }
            try {
                return new Polygons(rings);
            } catch (IllegalArgumentException e) {
                throw j.error(e.getMessage());
            }
        }
        JsonPath size = j.get("size");
        double[] hw = size.asDoubles();
        if (hw.length != 2 || hw[0] < 0 || hw[1] < 0 || hw[0] != Math.rint(hw[0]) || hw[1] != Math.rint(hw[1])) {
            throw size.error("expected [height, width]");
        }
        int h = (int) hw[0];
        int w = (int) hw[1];
        if (img != null && (h != img.height() || w != img.width())) {
            throw size.error("mask size " + h + "x" + w + " (height x width) differs from image " + img.id() + " ("
                    + img.fileName() + ", " + img.height() + "x" + img.width() + ")");
        }
        JsonPath counts = j.get("counts");
        try {
            if (counts.node.isTextual()) {
                return Rle.fromCompressed(counts.asText(), h, w);
            }
            List<JsonPath> items = counts.elements();
            int[] c = new int[items.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = items.get(i).asInt();
            }
            return new Rle(h, w, c);
        } catch (IllegalArgumentException e) {
            throw counts.error(e.getMessage());
        }
    }
}
