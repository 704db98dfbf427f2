package org.unitpath.infer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.UUID;
import org.unitpath.io.AtomicOutput;
import org.unitpath.io.geojson.Feature;
import org.unitpath.io.geojson.GeoJsonWriter;

/**
 * Nuclei as QuPath detections in a GeoJSON FeatureCollection: outline polygon, classification,
 * measurements ({@link NucleusMeasurements#named}). Each feature's id is a UUID derived from the
 * image's name and the nucleus id, so rerunning on the same image gives the same ids.
 */
final class GeoJsonSink implements NucleusSink {
    private final AtomicOutput file;
    private final GeoJsonWriter writer;
    private final String imageName;
    private final NucleusClasses classes;
    private final OptionalDouble mpp;

    GeoJsonSink(Path path, String imageName, NucleusClasses classes, OptionalDouble mpp) throws IOException {
        this.file = AtomicOutput.open(path);
        this.imageName = imageName;
        this.classes = classes;
        this.mpp = mpp;
        GeoJsonWriter w;
        try {
            w = new GeoJsonWriter(file.stream());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        this.writer = w;
    }

    @Override
    public void accept(Nucleus n) throws IOException {
        String id = UUID.nameUUIDFromBytes((imageName + "/" + n.id()).getBytes(StandardCharsets.UTF_8)).toString();
        writer.write(new Feature(id, "detection", n.outline().coordinates(), classes.name(n.category()),
                classes.color(n.category()), n.measurements().named(n.id(), n.score(), mpp)));
    }

    @Override
    public void commit() throws IOException {
        writer.finish();
        writer.close();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            file.close();
        }
    }
}
