package org.unitpath.infer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import org.unitpath.io.AtomicOutput;

/**
 * One CSV row per nucleus with its measurements ({@link NucleusMeasurements}), in pixels and,
 * when the resolution is known, micrometres (cells left empty otherwise). The id is the
 * nucleus's value in the label image and its number in the GeoJSON's "Label id".
 */
final class MeasurementsCsv implements NucleusSink {
    static final String HEADER = "id,class,score,centroid_x_px,centroid_y_px,centroid_x_um,centroid_y_um,area_px2,area_um2,"
            + "perimeter_px,perimeter_um,equivalent_diameter_px,equivalent_diameter_um,eccentricity,solidity,"
            + "mean_r,mean_g,mean_b,hematoxylin_od_mean,eosin_od_mean,box_x,box_y,box_width,box_height";

    private final AtomicOutput file;
    private final Writer out;
    private final NucleusClasses classes;
    private final OptionalDouble mpp;

    MeasurementsCsv(Path path, NucleusClasses classes, OptionalDouble mpp) throws IOException {
        this.file = AtomicOutput.open(path);
        this.out = new BufferedWriter(new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8));
        this.classes = classes;
        this.mpp = mpp;
        out.write(HEADER);
        out.write('\n');
    }

    @Override
    public void accept(Nucleus n) throws IOException {
        NucleusMeasurements m = n.measurements();
        StringBuilder row = new StringBuilder(256);
        row.append(n.id()).append(',').append(quoted(classes.name(n.category()))).append(',').append(fixed(n.score(), 4));
        row.append(',').append(fixed(m.centroidX(), 2)).append(',').append(fixed(m.centroidY(), 2));
        row.append(',').append(microns(m.centroidX(), 1)).append(',').append(microns(m.centroidY(), 1));
        row.append(',').append(m.area()).append(',').append(microns(m.area(), 2));
        row.append(',').append(fixed(m.perimeter(), 2)).append(',').append(microns(m.perimeter(), 1));
        row.append(',').append(fixed(m.equivalentDiameter(), 2)).append(',').append(microns(m.equivalentDiameter(), 1));
        row.append(',').append(fixed(m.eccentricity(), 4)).append(',').append(fixed(m.solidity(), 4));
        row.append(',').append(fixed(m.meanRed(), 2)).append(',').append(fixed(m.meanGreen(), 2)).append(',')
                .append(fixed(m.meanBlue(), 2));
        row.append(',').append(fixed(m.hematoxylin(), 4)).append(',').append(fixed(m.eosin(), 4));
        row.append(',').append(n.region().x).append(',').append(n.region().y).append(',').append(n.region().width)
                .append(',').append(n.region().height).append('\n');
        out.write(row.toString());
    }

    /** A pixel value in micrometres (power 1) or square micrometres (power 2); empty without a resolution. */
    private String microns(double px, int power) {
        return mpp.isPresent() ? fixed(px * Math.pow(mpp.getAsDouble(), power), 3) : "";
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String quoted(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    @Override
    public void commit() throws IOException {
        out.flush();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
