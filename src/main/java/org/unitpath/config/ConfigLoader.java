package org.unitpath.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unitpath.config.YamlTree.Mapping;
import org.unitpath.config.YamlTree.Node;
import org.unitpath.config.YamlTree.Scalar;
import org.unitpath.config.YamlTree.Sequence;

/**
 * Merges config sources onto a set of values: YAML files with their {@code _BASE_} chains
 * (base first, so the file that names a base overrides it), then {@code KEY VALUE} overrides.
 * Each value remembers its source so later messages can name the file that set it.
 */
final class ConfigLoader {
    static final String BASE = "_BASE_";
    static final String COMMAND_LINE = "command line";
    static final String DEFAULTS = "defaults";

    final Map<String, Object> values;
    final Map<String, String> origins;
    final List<String> files;

    ConfigLoader(Map<String, Object> values, Map<String, String> origins, List<String> files) {
        this.values = new LinkedHashMap<>(values);
        this.origins = new LinkedHashMap<>(origins);
        this.files = new ArrayList<>(files);
    }

    /** " in a.yaml", " on the command line" or " (default)": completes "KEY...: problem" messages. */
    static String where(String origin) {
        return origin == null || origin.equals(DEFAULTS) ? " (default)" : origin.equals(COMMAND_LINE) ? " on the command line" : " in " + origin;
    }

    void loadFile(Path file) throws IOException {
        loadFile(file, null, new ArrayList<>(), new ArrayList<>());
    }

    private void loadFile(Path file, Path namedBy, List<Path> chain, List<String> chainLabels) throws IOException {
        String label = file.toString();
        String text = read(file, namedBy);
        Path identity = file.toRealPath();
        if (chain.contains(identity)) {
            throw new IllegalArgumentException(chainLabels.get(chainLabels.size() - 1) + ": _BASE_ cycle: "
                    + String.join(" -> ", chainLabels) + " -> " + label);
        }
        Node root = YamlTree.parse(text, label);
        if (root == null) {
            files.add(label);
            return;
        }
        if (!(root instanceof Mapping mapping)) {
            throw new IllegalArgumentException(label + ": expected a mapping of config keys at the top level, got "
                    + YamlTree.describe(root));
        }
        Node base = mapping.entries().get(BASE);
        if (base != null) {
            if (!(base instanceof Scalar s) || s.isNull() || s.text().isBlank()) {
                throw new IllegalArgumentException(BASE + " in " + label + ": expected the path of a base config, got "
                        + YamlTree.describe(base));
            }
            chain.add(identity);
            chainLabels.add(label);
            loadFile(file.resolveSibling(s.text()).normalize(), file, chain, chainLabels);
            chain.remove(chain.size() - 1);
            chainLabels.remove(chainLabels.size() - 1);
        }
        apply(mapping, "", label);
        files.add(label);
    }

    private static String read(Path file, Path namedBy) throws IOException {
        String by = namedBy == null ? "" : " (the " + BASE + " of " + namedBy + ")";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file" + by, e);
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": permission denied" + by, e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read" + by + ": " + e.getMessage(), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text; is it a config file?");
        }
    }

    private void apply(Mapping mapping, String prefix, String origin) {
        Map<String, String> setHere = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : mapping.entries().entrySet()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Node node = e.getValue();
            if (prefix.isEmpty() && name.equals(BASE)) {
                continue;
            }
            String earlier = setHere.put(Schema.canonical(name), name);
            if (earlier != null) {
                String alias = Schema.ALIASES.containsKey(name) ? name : earlier;
                throw new IllegalArgumentException(name + where(origin) + ": sets the same key as " + earlier + " (" + alias
                        + " is the release's name for " + Schema.canonical(name) + "); keep one of them");
            }
            if (Schema.isSection(name)) {
                if (node instanceof Mapping m) {
                    apply(m, name, origin);
                } else if (!(node instanceof Scalar s && s.isNull())) { // an emptied section ("CYCLE:") is fine
                    throw new IllegalArgumentException(name + where(origin) + ": expected a section (a mapping of keys "
                            + "such as " + Schema.firstKeyOf(name) + "), got " + YamlTree.describe(node));
                }
            } else {
                set(name, node, origin);
            }
        }
    }

    private void set(String name, Node node, String origin) {
        Schema.Key key = Schema.KEYS.get(Schema.canonical(name));
        if (key == null) {
            throw new IllegalArgumentException(unknownKey(name, where(origin)));
        }
        values.put(key.name(), key.type().convert(perLevel(key, node, where(origin)), key, where(origin)));
        origins.put(key.name(), origin);
    }

    /**
     * Detectron2 writes anchors per FPN level as nested lists: SIZES [[32], [64], ...] (one size per
     * level) and ASPECT_RATIOS [[0.5, 1.0, 2.0]] (the same ratios on every level). unitpath's flat
     * lists mean exactly that; nestings that ask for more (several sizes on a level, ratios that
     * differ by level) are refused.
     */
    private static Node perLevel(Schema.Key key, Node node, String where) {
        boolean sizes = key.name().equals("MODEL.ANCHOR_GENERATOR.SIZES");
        if (!(sizes || key.name().equals("MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS")) || !(node instanceof Sequence q)
                || q.items().isEmpty() || !q.items().stream().allMatch(i -> i instanceof Sequence)) {
            return node;
        }
        List<Node> flat = new ArrayList<>();
        for (Node level : q.items()) {
            List<Node> items = ((Sequence) level).items();
            if (sizes && items.size() != 1) {
                throw new IllegalArgumentException(key.name() + where + ": unitpath uses one anchor size per FPN level "
                        + "([[32], [64], [128], [256], [512]]); a level with " + items.size() + " sizes is not supported");
            }
            flat.addAll(items);
        }
        if (sizes) {
            return new Sequence(flat);
        }
        Node first = q.items().get(0);
        if (!q.items().stream().allMatch(level -> sameScalars(level, first))) {
            throw new IllegalArgumentException(key.name() + where + ": unitpath uses the same aspect ratios on every FPN level "
                    + "([[0.5, 1.0, 2.0]]); ratios that differ by level are not supported");
        }
        return first;
    }

    private static boolean sameScalars(Node a, Node b) {
        List<Node> x = ((Sequence) a).items();
        List<Node> y = ((Sequence) b).items();
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!(x.get(i) instanceof Scalar p && y.get(i) instanceof Scalar r && p.text().equals(r.text()))) {
                return false;
            }
        }
        return true;
    }

    /** Applies {@code KEY VALUE} pairs; each VALUE is read as a YAML scalar or flow list ({@code ['40x_256']}). */
    void applyOverrides(List<String> tokens) {
        if (tokens.size() % 2 != 0) {
            throw new IllegalArgumentException("command line: overrides come as KEY VALUE pairs, but '"
                    + tokens.get(tokens.size() - 1) + "' has no value (" + tokens.size() + " tokens)");
        }
        for (int i = 0; i < tokens.size(); i += 2) {
            String name = tokens.get(i);
            String raw = tokens.get(i + 1);
            if (name.equals(BASE)) {
                throw new IllegalArgumentException("command line: " + BASE + " can only be set in a config file");
            }
            if (Schema.isSection(name)) {
                throw new IllegalArgumentException(name + " on the command line: is a section; override one of its keys, "
                        + "e.g. " + Schema.firstKeyOf(name));
            }
            if (!Schema.isKey(name)) {
                throw new IllegalArgumentException(unknownKey(name, where(COMMAND_LINE)));
            }
            Node node = raw.isEmpty() ? Scalar.string("") : YamlTree.parse(raw, name + " on the command line (value '"
                    + raw + "')");
            set(name, node == null ? Scalar.string("") : node, COMMAND_LINE);
        }
    }

    /** "unknown key NAME{where} (did you mean KEY?)", the hint from the closest key or section by edit distance. */
    static String unknownKey(String name, String where) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> candidates = new ArrayList<>(Schema.KEYS.keySet());
        candidates.addAll(Schema.SECTIONS);
        for (String c : candidates) {
            int d = distance(name.toUpperCase(Locale.ROOT), c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, name.length() / 4));
        String hint = best != null && bestDistance <= allowed ? " (did you mean " + best + "?)" : "";
        return "unknown key " + name + where + hint;
    }

    /** Edit distance counting a swap of neighbours as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
