package org.unitpath.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML document read into mappings, lists and scalars. Scalars keep the type YAML resolved
 * and their source text, so a key's type decides how a value is read (yacs-style), and
 * messages quote exactly what the user wrote.
 */
final class YamlTree {
    sealed interface Node permits Mapping, Sequence, Scalar {}

    record Mapping(Map<String, Node> entries) implements Node {}

    record Sequence(List<Node> items) implements Node {}

    /** {@code kind} is one of Jackson's scalar tokens; {@code number} is set for numbers Jackson could read. */
    record Scalar(JsonToken kind, String text, Number number) implements Node {
        static Scalar string(String s) {
            return new Scalar(JsonToken.VALUE_STRING, s, null);
        }

        boolean isNull() {
            return kind == JsonToken.VALUE_NULL;
        }
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./+-]*");

    private YamlTree() {}

    /** Parses one YAML document; null for an empty one. {@code label} names the source in messages. */
    static Node parse(String text, String label) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            Node root = read(p, label, "");
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(label + ": holds more than one YAML document (a '---' line); "
                        + "a config is a single document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(label + ": malformed YAML" + position(e) + ": " + problem(e));
        } catch (IOException e) {
            throw new IllegalArgumentException(label + ": cannot read as YAML: " + e.getMessage());
        }
    }

    /** One-line description of a node for "got ..." in messages. */
    static String describe(Node node) {
        if (node instanceof Mapping) {
            return "a section (a mapping of keys)";
        }
        if (node instanceof Sequence) {
            return "a list";
        }
        Scalar s = (Scalar) node;
        return s.isNull() ? "None (null)" : "'" + s.text() + "'";
    }

    /** Whether {@code s} may be written unquoted and still reads back as the same string, also inside [...]. */
    static boolean isPlain(String s) {
        if (!PLAIN.matcher(s).matches()) {
            return false;
        }
        try (JsonParser p = FACTORY.createParser("[" + s + "]")) {
            return p.nextToken() == JsonToken.START_ARRAY
                    && p.nextToken() == JsonToken.VALUE_STRING && p.getText().equals(s)
                    && p.nextToken() == JsonToken.END_ARRAY && p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static Node read(JsonParser p, String label, String path) throws IOException {
        if (p instanceof YAMLParser yp && yp.isCurrentAlias()) {
            throw new IllegalArgumentException(label + ": " + where(path) + "YAML aliases (*name) are not supported "
                    + "(line " + p.currentTokenLocation().getLineNr() + "); write the value out");
        }
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Node> entries = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String full = path.isEmpty() ? name : path + "." + name;
                int line = p.currentTokenLocation().getLineNr();
                p.nextToken();
                Node value = read(p, label, full);
                if (entries.put(name, value) != null) {
                    throw new IllegalArgumentException(label + ": key " + full + " appears twice (again at line "
                            + line + ")");
                }
            }
            return new Mapping(entries);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p, label, path));
            }
            return new Sequence(items);
        }
        Number number = null;
        if (t.isNumeric()) {
            try {
                number = p.getNumberValue();
            } catch (IOException e) {
                number = null; // '.inf' and friends: kept as text, rejected by the number types
            }
        }
        return new Scalar(t, p.getText(), number);
    }

    private static String where(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    /** SnakeYAML's message names several marks; the last one is where the problem is. */
    private static String position(JsonProcessingException e) {
        Matcher m = MARK.matcher(String.valueOf(e.getOriginalMessage()));
        String line = null;
        String column = null;
        while (m.find()) {
            line = m.group(1);
            column = m.group(2);
        }
        if (line == null && e.getLocation() != null) {
            line = String.valueOf(e.getLocation().getLineNr());
            column = String.valueOf(e.getLocation().getColumnNr());
        }
        return line == null ? "" : " at line " + line + ", column " + column;
    }

    /** The unindented lines of SnakeYAML's message are the context and the problem; the rest is a source excerpt. */
    private static String problem(JsonProcessingException e) {
        List<String> parts = new ArrayList<>();
        for (String line : String.valueOf(e.getOriginalMessage()).split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                parts.add(line.trim());
            }
        }
        return parts.isEmpty() ? String.valueOf(e.getOriginalMessage()) : String.join(": ", parts);
    }
}
