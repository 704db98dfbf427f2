package org.unitpath.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unitpath.data.NucleusImage;
import org.unitpath.io.AtomicFiles;
import org.unitpath.transfer.Stratified;

/**
 * TEST.VAL_FRACTION: whole training images held out for choosing the best weights, drawn by
 * TEST.VAL_SEED (not SEED, so every training seed of a comparison validates on the same images)
 * and recorded in OUTPUT_DIR/split.json, which a resumed run must reproduce.
 */
public final class ValidationSplit {
    public static final String FILE = "split.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The images trained on and the images held out, each in the training file's order. */
    public record Parts(List<NucleusImage> train, List<NucleusImage> val) {
        /** The held-out images' file names. */
        public List<String> valNames() {
            return val.stream().map(NucleusImage::name).toList();
        }
    }

    private ValidationSplit() {}

    /**
     * Holds out round(n * fraction) images, at least one and never all; {@code trainJson} names the
     * file in the error when it has too few images to split.
     */
    public static Parts of(List<NucleusImage> all, double fraction, long seed, Path trainJson) {
        if (all.size() < 2) {
            throw new IllegalArgumentException(trainJson + " has " + all.size() + " image, but TEST.VAL_FRACTION " + fraction
                    + " needs at least 2 (one held out, one to train on): set TEST.VAL_FRACTION 0.0 or give DATASETS.VAL_JSON");
        }
        Stratified.Split s = Stratified.split(new int[all.size()], fraction, seed);
        return new Parts(Arrays.stream(s.train()).mapToObj(all::get).toList(), Arrays.stream(s.test()).mapToObj(all::get).toList());
    }

    /**
     * Writes {@code dir}/split.json; when resuming, first checks that an existing one holds out the
     * same images, since a different split would make the resumed run a different run.
     */
    public static void record(Path dir, Parts parts, double fraction, long seed, Path trainJson, boolean resume) throws IOException {
        Path file = dir.resolve(FILE);
        if (resume && Files.isRegularFile(file)) {
            List<String> before = new ArrayList<>();
            JsonNode val = JSON.readTree(file.toFile()).get("val");
            if (val != null) {
                val.forEach(n -> before.add(n.asText()));
            }
            if (!before.equals(parts.valNames())) {
                throw new IllegalArgumentException(file + " holds out " + before + " but TEST.VAL_FRACTION " + fraction
                        + " and TEST.VAL_SEED " + seed + " on " + trainJson + " now hold out " + parts.valNames()
                        + ": resume with the run's own training file and keys, or use a new OUTPUT_DIR");
            }
        }
        ObjectNode root = JSON.createObjectNode().put("train_json", trainJson.toString()).put("val_fraction", fraction)
                .put("val_seed", seed);
        parts.valNames().forEach(root.putArray("val")::add);
        ArrayNode train = root.putArray("train");
        parts.train().forEach(i -> train.add(i.name()));
        Files.createDirectories(dir);
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}
