package org.unitpath.infer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The files {@code unitpath segment} writes for one image, all under temporary names until the
 * whole image is done: {@code NAME.geojson} (QuPath detections), {@code NAME.labels.tif} (uint32
 * label image), {@code NAME.coco.json} (COCO instances), {@code NAME.csv} (measurements). {@link #commit} makes them final together.
 */
public final class SegmentOutputs implements NucleusSink {
    private final List<NucleusSink> sinks;

    private SegmentOutputs(List<NucleusSink> sinks) {
        this.sinks = sinks;
    }

    /** The final paths of {@code name}'s outputs in {@code dir}. */
    public static List<Path> files(Path dir, String name) {
        return List.of(dir.resolve(name + ".geojson"), dir.resolve(name + ".labels.tif"), dir.resolve(name + ".coco.json"),
                dir.resolve(name + ".csv"));
    }

    /**
     * Opens the outputs of a width x height image, the file {@code fileName} (its name in the COCO
     * file); temporary files an interrupted earlier run left for {@code name} are removed first.
     */
    public static SegmentOutputs open(Path dir, String name, String fileName, int width, int height, OptionalDouble mpp,
            NucleusClasses classes) throws IOException {
        Files.createDirectories(dir);
        removeLeftovers(dir, name);
        List<Path> paths = files(dir, name);
        List<NucleusSink> sinks = new ArrayList<>();
        try {
            sinks.add(new GeoJsonSink(paths.get(0), name, classes, mpp));
            sinks.add(new LabelTiffSink(paths.get(1), width, height, mpp));
            sinks.add(new CocoSink(paths.get(2), fileName, width, height, classes));
            sinks.add(new MeasurementsCsv(paths.get(3), classes, mpp));
        } catch (IOException | RuntimeException e) {
            new SegmentOutputs(sinks).close();
            throw e;
        }
        return new SegmentOutputs(sinks);
    }

    private static void removeLeftovers(Path dir, String name) throws IOException {
        for (Path p : files(dir, name)) {
            String prefix = "." + p.getFileName() + ".";
            DirectoryStream.Filter<Path> filter = f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".tmp");
            try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, filter)) {
                for (Path s : stale) {
                    Files.deleteIfExists(s);
                }
            }
        }
    }

    @Override
    public void accept(Nucleus nucleus) throws IOException {
        for (NucleusSink s : sinks) {
            s.accept(nucleus);
        }
    }

    @Override
    public void rowsComplete(int y) throws IOException {
        for (NucleusSink s : sinks) {
            s.rowsComplete(y);
        }
    }

    @Override
    public void commit() throws IOException {
        for (NucleusSink s : sinks) {
            s.commit();
        }
    }

    /** Closes every output (discarding those not committed), even when one fails. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (NucleusSink s : sinks) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
