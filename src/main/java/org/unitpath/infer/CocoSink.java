package org.unitpath.infer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unitpath.io.AtomicOutput;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoWriter;
import org.unitpath.io.coco.Polygons;
import org.unitpath.io.coco.Rle;
import org.unitpath.seg.MaskPatch;

/**
 * The nuclei as a COCO instance file (one image, categories 1..K, one annotation per nucleus with
 * its score), as {@link org.unitpath.io.coco.CocoDataset#read} and pycocotools read it. The
 * annotations are streamed, so a slide's millions of nuclei are never held. Masks are RLE in the
 * image's frame, built from each nucleus's region without a full-size mask; COCO's run lengths
 * are 32-bit, so images of more than 2^31 - 1 pixels get the outline polygon instead.
 */
final class CocoSink implements NucleusSink {
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private final AtomicOutput file;
    private final JsonGenerator g;
    private final int width;
    private final int height;
    private final boolean rle;

    CocoSink(Path path, String fileName, int width, int height, NucleusClasses classes) throws IOException {
        this.file = AtomicOutput.open(path);
        this.width = width;
        this.height = height;
        this.rle = (long) width * height <= Integer.MAX_VALUE;
        this.g = JSON.createGenerator(file.stream());
        g.writeStartObject();
        g.writeArrayFieldStart("images");
        g.writeStartObject();
        g.writeNumberField("id", 1);
        g.writeStringField("file_name", fileName);
        g.writeNumberField("width", width);
        g.writeNumberField("height", height);
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("categories");
        for (int k = 0; k < classes.names().size(); k++) {
            g.writeStartObject();
            g.writeNumberField("id", k + 1);
            g.writeStringField("name", classes.name(k));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("annotations");
    }

    @Override
    public void accept(Nucleus n) throws IOException {
        CocoAnnotation a = rle ? CocoAnnotation.detection(n.id(), 1, n.category() + 1, rle(n.region(), width, height), n.score())
                : polygon(n);
        CocoWriter.annotation(g, a);
    }

    private static CocoAnnotation polygon(Nucleus n) {
        double[] closed = n.outline().coordinates();
        MaskPatch r = n.region();
        return new CocoAnnotation(n.id(), 1, n.category() + 1, new double[] {r.x, r.y, r.width, r.height},
                n.measurements().area(), new Polygons(List.of(Arrays.copyOf(closed, closed.length - 2))), false,
                java.util.OptionalDouble.of(n.score()));
    }

    /**
     * The COCO RLE of {@code region} in a width x height image: runs over the pixels in
     * column-major order, alternating background and foreground, starting with background.
     */
    static Rle rle(MaskPatch region, int width, int height) {
        List<Integer> counts = new ArrayList<>();
        long end = 0;
        for (int x = region.x; x < region.x + region.width; x++) {
            for (int y = region.y; y < region.y + region.height; y++) {
                if (!region.contains(x, y)) {
                    continue;
                }
                long p = (long) x * height + y;
                if (p == end && !counts.isEmpty()) {
                    counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
                } else {
                    counts.add((int) (p - end));
                    counts.add(1);
                }
                end = p + 1;
            }
        }
        counts.add((int) ((long) width * height - end));
        return new Rle(height, width, counts.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public void commit() throws IOException {
        g.writeEndArray();
        g.writeEndObject();
        g.close();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
