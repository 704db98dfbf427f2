package org.unitpath.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.InstanceMap;

/**
 * Classes of the nuclei of instance-map files: a JSON object from image name (file name without
 * extension) to an object from instance id (as in the file) to class (an integer >= 1), e.g.
 * {@code {"img1": {"1": 2, "7": 1}, "img2": {}}}.
 */
final class ClassTable {
    private final Path file;
    private final Map<String, Map<Integer, Integer>> byImage;

    private ClassTable(Path file, Map<String, Map<Integer, Integer>> byImage) {
        this.file = file;
        this.byImage = byImage;
    }

    static ClassTable read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ImageFormatException(file, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ImageFormatException(file, "expected an object {\"<image>\": {\"<instance id>\": <class>, ...}, ...}");
        }
        Map<String, Map<Integer, Integer>> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> image = it.next();
            if (!image.getValue().isObject()) {
                throw new ImageFormatException(file, image.getKey() + ": expected an object {\"<instance id>\": <class>}");
            }
            Map<Integer, Integer> classes = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> c = image.getValue().fields(); c.hasNext();) {
                Map.Entry<String, JsonNode> e = c.next();
                String where = image.getKey() + "." + e.getKey();
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException x) {
                    throw new ImageFormatException(file, where + ": instance ids must be whole numbers");
                }
                if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber() || e.getValue().asInt() < 1) {
                    throw new ImageFormatException(file, where + ": the class must be an integer >= 1, got " + e.getValue());
                }
                classes.put(id, e.getValue().asInt());
            }
            out.put(image.getKey(), classes);
        }
        return new ClassTable(file, out);
    }

    /** The class of each label of {@code map} (index 0 unused); every instance needs one. */
    int[] classesOf(String image, InstanceMap map) throws ImageFormatException {
        Map<Integer, Integer> classes = byImage.get(image);
        if (classes == null) {
            throw new ImageFormatException(file, "no entry for image '" + image + "'");
        }
        int[] out = new int[map.count() + 1];
        for (int label = 1; label <= map.count(); label++) {
            Integer c = classes.get(map.sourceIds()[label]);
            if (c == null) {
                throw new ImageFormatException(file, image + ": no class for instance " + map.sourceIds()[label]);
            }
            out[label] = c;
        }
        return out;
    }
}
