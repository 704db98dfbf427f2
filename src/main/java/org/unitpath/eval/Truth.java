package org.unitpath.eval;

import java.util.ArrayList;
import java.util.List;
import org.unitpath.io.InstanceMap;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoImage;
import org.unitpath.io.coco.CocoMaps;
import org.unitpath.io.coco.Rle;

/**
 * The ground truth of one image: an instance map with an optional class per nucleus, and the
 * objects COCO AP matches against (the file's annotations, or one per nucleus of the map).
 */
public final class Truth {
    private final InstanceMap map;
    private final int[] classes;
    private List<CocoAnnotation> objects;

    private Truth(InstanceMap map, int[] classes, List<CocoAnnotation> objects) {
        if (classes != null && classes.length != map.count() + 1) {
            throw new IllegalArgumentException("classes must have one entry per nucleus plus one, got " + classes.length
                    + " for " + map.count() + " nuclei");
        }
        this.map = map;
        this.classes = classes;
        this.objects = objects;
    }

    /** From an instance map; {@code classes[label]} (>= 1) for each label 1..K, or null. */
    public static Truth of(InstanceMap map, int[] classes) {
        return new Truth(map, classes, null);
    }

    /**
     * From a COCO image's annotations, painted in annotation order with the first claim winning
     * (crowd regions included, as the paper's evaluator does); the categories are the classes.
     */
    public static Truth ofCoco(CocoImage image, List<CocoAnnotation> annotations) {
        CocoMaps.Painted p = CocoMaps.paint(image.width(), image.height(), annotations);
        return new Truth(p.map(), p.classes(), List.copyOf(annotations));
    }

    public InstanceMap map() {
        return map;
    }

    /** Class per label (index 0 unused), or null when the truth has no classes. */
    public int[] classes() {
        return classes;
    }

    /** The COCO objects for AP; from a map, each nucleus with its pixel area and tight box, category = its class or 1. */
    public synchronized List<CocoAnnotation> objects() {
        if (objects == null) {
            Rle[] rles = CocoMaps.rles(map);
            List<CocoAnnotation> out = new ArrayList<>(map.count());
            for (int l = 1; l <= map.count(); l++) {
                out.add(CocoAnnotation.truth(l, 0, classes == null ? 1 : classes[l], rles[l]));
            }
            objects = List.copyOf(out);
        }
        return objects;
    }
}
