package org.unitpath.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.unitpath.io.InstanceMap;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoMaps;

/**
 * A prediction for one image: an instance map with an optional class per nucleus and, when it
 * came from scored detections, those detections (all of them: COCO AP uses every detection,
 * the nucleus metrics only those above the score threshold).
 */
public final class Prediction {
    private final InstanceMap map;
    private final int[] classes;
    private final List<CocoAnnotation> detections;

    private Prediction(InstanceMap map, int[] classes, List<CocoAnnotation> detections) {
        if (classes != null && classes.length != map.count() + 1) {
            throw new IllegalArgumentException("classes must have one entry per nucleus plus one, got " + classes.length
                    + " for " + map.count() + " nuclei");
        }
        this.map = map;
        this.classes = classes;
        this.detections = detections;
    }

    /** From an instance map (no scores: no COCO AP); {@code classes} as in {@link Truth#of}, or null. */
    public static Prediction of(InstanceMap map, int[] classes) {
        return new Prediction(map, classes, null);
    }

    /**
     * From scored detections, the paper's way: those with score >= {@code scoreThreshold} painted
     * in decreasing score (stable for ties), a pixel keeping the first detection that claims it,
     * relabelled 1..K; the categories are the classes.
     */
    public static Prediction ofDetections(int width, int height, List<CocoAnnotation> detections, double scoreThreshold) {
        List<CocoAnnotation> kept = new ArrayList<>();
        for (CocoAnnotation d : detections) {
            if (d.score().isEmpty()) {
                throw new IllegalArgumentException("detection " + d.id() + " has no score");
            }
            if (d.score().getAsDouble() >= scoreThreshold) {
                kept.add(d);
            }
        }
        kept.sort(Comparator.comparingDouble(d -> -d.score().getAsDouble()));
        CocoMaps.Painted p = CocoMaps.paint(width, height, kept);
        return new Prediction(p.map(), p.classes(), List.copyOf(detections));
    }

    public InstanceMap map() {
        return map;
    }

    public int[] classes() {
        return classes;
    }

    /** Whether the prediction carries scored detections (then COCO AP can be computed). */
    public boolean scored() {
        return detections != null;
    }

    /** The scored detections; empty when not {@link #scored()}. */
    public List<CocoAnnotation> detections() {
        return detections == null ? List.of() : detections;
    }
}
