package org.unitpath.io.coco;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.unitpath.io.ImageFormatException;

/**
 * A JSON value together with where it sits in its file ({@code annotations[17].segmentation}),
 * so every complaint about its content names the file and the path, never a Jackson trace.
 */
final class JsonPath {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Path file;
    final String path;
    final JsonNode node;

    private JsonPath(Path file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    static JsonPath read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try {
            return new JsonPath(file, "", MAPPER.readTree(file.toFile()));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new ImageFormatException(file, "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    ImageFormatException error(String problem) {
        return new ImageFormatException(file, (path.isEmpty() ? "" : path + ": ") + problem);
    }

    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    JsonPath get(String name) throws ImageFormatException {
        if (!node.isObject()) {
            throw error("expected a JSON object, got " + kind(node));
        }
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw error("missing '" + name + "'");
        }
        return new JsonPath(file, path.isEmpty() ? name : path + "." + name, v);
    }

    List<JsonPath> elements() throws ImageFormatException {
        if (!node.isArray()) {
            throw error("expected a JSON array, got " + kind(node));
        }
        List<JsonPath> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonPath(file, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    long asLong() throws ImageFormatException {
        if (!node.isIntegralNumber() && !(node.isNumber() && node.asDouble() == Math.rint(node.asDouble()))) {
            throw error("expected an integer, got " + kind(node));
        }
        if (!node.canConvertToLong()) {
            throw error("integer out of range: " + node.asText());
        }
        return node.asLong();
    }

    int asInt() throws ImageFormatException {
        long v = asLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("integer out of range: " + v);
        }
        return (int) v;
    }

    double asDouble() throws ImageFormatException {
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw error("expected a finite number, got " + kind(node));
        }
        return node.asDouble();
    }

    String asText() throws ImageFormatException {
        if (!node.isTextual()) {
            throw error("expected a string, got " + kind(node));
        }
        return node.asText();
    }

    boolean asFlag() throws ImageFormatException {
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        long v = asLong();
        if (v != 0 && v != 1) {
            throw error("expected 0 or 1, got " + v);
        }
        return v == 1;
    }

    double[] asDoubles() throws ImageFormatException {
        List<JsonPath> items = elements();
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.get(i).asDouble();
        }
        return out;
    }

    private static String kind(JsonNode n) {
        String text = n.toString();
        return n.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
    }
}
