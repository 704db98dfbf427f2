package org.unitpath.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.unitpath.io.CsvText;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.NpyFloat;

/**
 * Slides with a label and a bag of tile features: {@code FEATURES/<slide>.npy} as 'unitpath
 * embed' writes them, labelled by a CSV of {@code slide,label} rows (a header row is allowed).
 * Bags are read when used, so memory holds one bag at a time. Classes are the sorted labels.
 */
public record MilDataset(List<Bag> bags, List<String> classes, int features) {
    /** One slide: its feature file, tile count and class index. */
    public record Bag(String slide, Path features, int tiles, int label) {}

    public MilDataset {
        bags = List.copyOf(bags);
        classes = List.copyOf(classes);
    }

    public static MilDataset load(Path labelsCsv, Path featuresDir) throws IOException {
        List<CsvText.Row> rows = new ArrayList<>(CsvText.read(labelsCsv));
        if (!rows.isEmpty() && rows.get(0).fields().size() >= 2 && rows.get(0).fields().get(0).equalsIgnoreCase("slide")
                && rows.get(0).fields().get(1).equalsIgnoreCase("label")) {
            rows.remove(0);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(labelsCsv + ": no slide,label rows");
        }
        Set<String> classSet = new TreeSet<>();
        for (CsvText.Row r : rows) {
            if (r.fields().size() != 2 || r.fields().get(0).isEmpty() || r.fields().get(1).isEmpty()) {
                throw new IllegalArgumentException(labelsCsv + " line " + r.line() + ": expected 'slide,label', got "
                        + String.join(",", r.fields()));
            }
            classSet.add(r.fields().get(1));
        }
        List<String> classes = List.copyOf(classSet);
        if (classes.size() < 2) {
            throw new IllegalArgumentException(labelsCsv + ": every slide has label '" + classes.get(0)
                    + "'; classification needs at least two labels");
        }
        List<Bag> bags = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int features = -1;
        Path first = null;
        for (CsvText.Row r : rows) {
            String slide = r.fields().get(0);
            if (!seen.add(slide)) {
                throw new IllegalArgumentException(labelsCsv + " line " + r.line() + ": slide '" + slide + "' is listed twice");
            }
            Path npy = featuresDir.resolve(slide + ".npy");
            if (!Files.isRegularFile(npy)) {
                throw new IllegalArgumentException(labelsCsv + " line " + r.line() + ": slide '" + slide
                        + "' has no features file " + npy + " (run 'unitpath embed' on it first)");
            }
            int[] shape = NpyFloat.shape(npy);
            if (shape[0] == 0) {
                throw new ImageFormatException(npy, "no tiles (the slide had no tissue tile); drop it from " + labelsCsv);
            }
            if (features < 0) {
                features = shape[1];
                first = npy;
            } else if (shape[1] != features) {
                throw new ImageFormatException(npy, shape[1] + " features per tile, but " + first + " has " + features
                        + "; embed every slide with the same weights");
            }
            bags.add(new Bag(slide, npy, shape[0], classes.indexOf(r.fields().get(1))));
        }
        return new MilDataset(bags, classes, features);
    }

    public int[] labels() {
        return bags.stream().mapToInt(Bag::label).toArray();
    }

    /** The tile list 'unitpath embed' wrote next to a bag, if there is one. */
    public static Path tilesCsv(Bag bag) {
        String name = bag.features().getFileName().toString();
        return bag.features().resolveSibling(name.substring(0, name.length() - ".npy".length()) + ".tiles.csv");
    }
}
