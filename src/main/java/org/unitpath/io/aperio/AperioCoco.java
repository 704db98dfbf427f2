package org.unitpath.io.aperio;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoCategory;
import org.unitpath.io.coco.CocoImage;
import org.unitpath.io.coco.Polygons;
import org.unitpath.io.coco.Rle;

/**
 * ImageScope Regions as COCO ground truth, one conversion shared by {@code unitpath import monuseg}
 * and {@code unitpath evaluate --truth} so that both see the same nuclei: each kept Region becomes
 * one polygon with the XML's vertex coordinates, bbox = the vertices' extent and area = the pixel
 * count of its pycocotools rasterisation (as COCO's own files give it), category "nucleus", iscrowd 0.
 * A Region with fewer than 3 distinct vertices, zero enclosed area or no pixel at all is skipped.
 */
public final class AperioCoco {
    public static final CocoCategory NUCLEUS = new CocoCategory(1, "nucleus");

    private AperioCoco() {}

    /** One image's nuclei; annotation ids run from the {@code firstAnnotationId} given, in Region order. */
    public record Converted(CocoImage image, List<CocoAnnotation> annotations, int regions, int skipped) {
        public Converted {
            annotations = List.copyOf(annotations);
        }
    }

    public static Converted convert(AperioXml xml, CocoImage image, long firstAnnotationId) {
        List<CocoAnnotation> out = new ArrayList<>(xml.regions().size());
        int skipped = 0;
        for (AperioXml.Region r : xml.regions()) {
            if (distinctVertices(r.xy()) < 3 || shoelace(r.xy()) == 0) {
                skipped++;
                continue;
            }
            Polygons polygon = new Polygons(List.of(r.xy()));
            Rle mask = polygon.toRle(image.width(), image.height());
            if (mask.area() == 0) {
                skipped++;
                continue;
            }
            out.add(new CocoAnnotation(firstAnnotationId + out.size(), image.id(), NUCLEUS.id(), extent(r.xy()), mask.area(),
                    polygon, false, OptionalDouble.empty()));
        }
        return new Converted(image, out, xml.regions().size(), skipped);
    }

    private static int distinctVertices(double[] xy) {
        Set<List<Double>> seen = new HashSet<>();
        for (int i = 0; i < xy.length; i += 2) {
            seen.add(List.of(xy[i], xy[i + 1]));
        }
        return seen.size();
    }

    /** Twice the enclosed area (its sign is the winding); zero for collinear vertices. */
    private static double shoelace(double[] xy) {
        double s = 0;
        int n = xy.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        }
        return s;
    }

    /** {x, y, w, h} around the vertices, as COCO gives polygon objects their box. */
    private static double[] extent(double[] xy) {
        double x0 = Double.POSITIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < xy.length; i += 2) {
            x0 = Math.min(x0, xy[i]);
            x1 = Math.max(x1, xy[i]);
            y0 = Math.min(y0, xy[i + 1]);
            y1 = Math.max(y1, xy[i + 1]);
        }
        return new double[] {x0, y0, x1 - x0, y1 - y0};
    }
}
