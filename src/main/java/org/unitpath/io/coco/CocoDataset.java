package org.unitpath.io.coco;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A COCO instance-segmentation file: images, categories and annotations (ground truth, or
 * detections when the annotations carry a {@code score}). Reading checks every field and names
 * the file and JSON path of what is wrong; writing is atomic, with RLE counts as compressed
 * strings and ids preserved, so pycocotools, Detectron2 and this class read the result back.
 */
public record CocoDataset(List<CocoImage> images, List<CocoCategory> categories, List<CocoAnnotation> annotations) {
    public CocoDataset {
        images = List.copyOf(images);
        categories = List.copyOf(categories);
        annotations = List.copyOf(annotations);
    }

    /** Reads a full dataset file ({@code {"images": [...], "categories": [...], "annotations": [...]}}). */
    public static CocoDataset read(Path json) throws IOException {
        return CocoReader.dataset(json);
    }

    /**
     * Reads a detection results array ({@code [{"image_id", "category_id", "segmentation" or
     * "bbox", "score"}, ...]}) as pycocotools' {@code loadRes} does; {@code score} is required.
     */
    public static List<CocoAnnotation> readResults(Path json) throws IOException {
        return CocoReader.results(json);
    }

    public void write(Path json) throws IOException {
        CocoWriter.write(this, json);
    }

    /** The annotations of one image, in file order. */
    public List<CocoAnnotation> annotationsOf(long imageId) {
        List<CocoAnnotation> out = new ArrayList<>();
        for (CocoAnnotation a : annotations) {
            if (a.imageId() == imageId) {
                out.add(a);
            }
        }
        return out;
    }

    /** All annotations grouped by image id (file order kept within an image), for one pass over many images. */
    public Map<Long, List<CocoAnnotation>> annotationsByImage() {
        Map<Long, List<CocoAnnotation>> out = new LinkedHashMap<>();
        for (CocoImage i : images) {
            out.put(i.id(), new ArrayList<>());
        }
        for (CocoAnnotation a : annotations) {
            out.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
        }
        return out;
    }

    /** The image with this {@code file_name}, or else the one whose file name without folders is this one's. */
    public Optional<CocoImage> image(String fileName) {
        for (CocoImage i : images) {
            if (i.fileName().equals(fileName)) {
                return Optional.of(i);
            }
        }
        String base = baseName(fileName);
        return images.stream().filter(i -> baseName(i.fileName()).equals(base)).findFirst();
    }

    private static String baseName(String name) {
        String n = name.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }
}
