package org.unitpath.io.geojson;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Streams a GeoJSON FeatureCollection (RFC 7946) feature by feature, so a slide's millions of
 * nuclei never sit in memory. The layout is the one QuPath (0.4 and later) writes and reads in
 * {@code qupath.lib.io.PathObjectTypeAdapters} / {@code ROITypeAdapters}: {@code id} a UUID
 * string, {@code geometry} a Polygon in image pixel coordinates, {@code properties.objectType},
 * {@code properties.classification} = {name, color [r, g, b]}, {@code properties.isLocked} and
 * {@code properties.measurements} as a name -> number object. Exterior rings are written as given;
 * callers pass them counter-clockwise (RFC 7946 section 3.1.6), which QuPath accepts either way.
 */
public final class GeoJsonWriter implements AutoCloseable {
    private final JsonGenerator json;
    private long features;
    private boolean finished;

    /** Starts the collection on {@code out}; {@link #finish} ends it. {@code out} is not closed. */
    public GeoJsonWriter(OutputStream out) throws IOException {
        json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.writeStartObject();
        json.writeStringField("type", "FeatureCollection");
        json.writeArrayFieldStart("features");
    }

    public void write(Feature f) throws IOException {
        if (finished) {
            throw new IllegalStateException("the feature collection is already finished");
        }
        json.writeStartObject();
        json.writeStringField("type", "Feature");
        if (f.id() != null) {
            json.writeStringField("id", f.id());
        }
        json.writeObjectFieldStart("geometry");
        json.writeStringField("type", "Polygon");
        json.writeArrayFieldStart("coordinates");
        json.writeStartArray();
        double[] xy = f.exterior();
        for (int i = 0; i < xy.length; i += 2) {
            json.writeStartArray();
            json.writeNumber(xy[i]);
            json.writeNumber(xy[i + 1]);
            json.writeEndArray();
        }
        json.writeEndArray();
        json.writeEndArray();
        json.writeEndObject();
        json.writeObjectFieldStart("properties");
        json.writeStringField("objectType", f.objectType());
        json.writeObjectFieldStart("classification");
        json.writeStringField("name", f.className());
        json.writeArrayFieldStart("color");
        for (int c : f.color()) {
            json.writeNumber(c);
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeBooleanField("isLocked", false);
        json.writeObjectFieldStart("measurements");
        for (Map.Entry<String, Double> m : f.measurements().entrySet()) {
            json.writeNumberField(m.getKey(), m.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
        // one feature per line keeps the file greppable and diffable
        json.writeRaw('\n');
        features++;
    }

    public long features() {
        return features;
    }

    /** Ends the collection and flushes. */
    public void finish() throws IOException {
        if (!finished) {
            json.writeEndArray();
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
            finished = true;
        }
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
