package org.unitpath.io.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.unitpath.io.AtomicFiles;

/**
 * Writes COCO instance files that pycocotools and Detectron2 read: RLE masks with compressed
 * string counts, ids as given, whole numbers without a decimal point.
 */
public final class CocoWriter {
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private CocoWriter() {}

    static void write(CocoDataset d, Path file) throws IOException {
        AtomicFiles.write(file, false, out -> write(d, out));
    }

    private static void write(CocoDataset d, OutputStream out) throws IOException {
        // mpp on every image once one has it (null where unknown), so that a reader sees which are missing
        boolean mpp = d.images().stream().anyMatch(i -> i.mpp().isPresent());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("images");
            for (CocoImage i : d.images()) {
                g.writeStartObject();
                g.writeNumberField("id", i.id());
                g.writeStringField("file_name", i.fileName());
                g.writeNumberField("width", i.width());
                g.writeNumberField("height", i.height());
                if (mpp) {
                    g.writeFieldName("mpp");
                    if (i.mpp().isPresent()) {
                        number(g, i.mpp().getAsDouble());
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("categories");
            for (CocoCategory c : d.categories()) {
                g.writeStartObject();
                g.writeNumberField("id", c.id());
                g.writeStringField("name", c.name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("annotations");
            for (CocoAnnotation a : d.annotations()) {
                annotation(g, a);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** One annotation object, for writers that stream the annotations array themselves. */
    public static void annotation(JsonGenerator g, CocoAnnotation a) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", a.id());
        g.writeNumberField("image_id", a.imageId());
        g.writeNumberField("category_id", a.categoryId());
        g.writeFieldName("bbox");
        g.writeStartArray();
        for (double v : a.bbox()) {
            number(g, v);
        }
        g.writeEndArray();
        g.writeFieldName("area");
        number(g, a.area());
        g.writeFieldName("segmentation");
        if (a.segmentation() instanceof Rle r) {
            g.writeStartObject();
            g.writeArrayFieldStart("size");
            g.writeNumber(r.height());
            g.writeNumber(r.width());
            g.writeEndArray();
            g.writeStringField("counts", r.compressedCounts());
            g.writeEndObject();
        } else if (a.segmentation() instanceof Polygons p) {
            g.writeStartArray();
            for (double[] ring : p.rings()) {
                g.writeStartArray();
                for (double v : ring) {
                    number(g, v);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeNumberField("iscrowd", a.crowd() ? 1 : 0);
        if (a.score().isPresent()) {
            g.writeFieldName("score");
            number(g, a.score().getAsDouble());
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, double v) throws IOException {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            g.writeNumber((long) v);
        } else {
            g.writeNumber(v);
        }
    }
}
