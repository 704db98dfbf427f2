package org.unitpath.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A training config in the style of yacs' {@code CfgNode}: a fixed tree of typed keys with
 * defaults (the release's keys and values, see docs/method.md), merged from a YAML file, its
 * {@code _BASE_} chain and {@code KEY VALUE} command-line overrides, then validated.
 * Immutable; keys are dotted paths such as {@code SOLVER.BASE_LR}.
 *
 * <p>Every problem (unknown key, wrong type, malformed YAML, invalid value) is an
 * IllegalArgumentException whose one-line message names the full key and the file that set it
 * (or the command line); files that cannot be read are IOExceptions naming the path.
 */
public final class Config {
    private final Map<String, Object> values;
    private final Map<String, String> origins;
    private final List<String> files;
    /** Keys the getters were asked for, when this is a {@link #recordingReads()} copy; else null. */
    private final Set<String> reads;

    private Config(ConfigLoader loaded) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(loaded.values));
        this.origins = Map.copyOf(loaded.origins);
        this.files = List.copyOf(loaded.files);
        this.reads = null;
        Validator.validate(this);
    }

    private Config(Config source, Set<String> reads) {
        this.values = source.values;
        this.origins = source.origins;
        this.files = source.files;
        this.reads = reads;
    }

    /** Every key at its default. */
    public static Config defaults() {
        return new Config(new ConfigLoader(Schema.defaults(), Map.of(), List.of()));
    }

    /** The defaults with {@code KEY VALUE} overrides, e.g. {@code ["SOLVER.BASE_LR", "0.001"]}. */
    public static Config fromDefaults(List<String> overrides) {
        return defaults().withOverrides(overrides);
    }

    public static Config load(Path yaml) throws IOException {
        return load(yaml, List.of());
    }

    /**
     * Reads {@code yaml} over its {@code _BASE_} chain (each base a path relative to the file that
     * names it) over the defaults, then applies the overrides (alternating keys and YAML values).
     */
    public static Config load(Path yaml, List<String> overrides) throws IOException {
        ConfigLoader loader = new ConfigLoader(Schema.defaults(), Map.of(), List.of());
        loader.loadFile(yaml);
        loader.applyOverrides(overrides);
        return new Config(loader);
    }

    /** This config with {@code KEY VALUE} overrides applied. */
    public Config withOverrides(List<String> overrides) {
        ConfigLoader loader = new ConfigLoader(values, origins, files);
        loader.applyOverrides(overrides);
        return new Config(loader);
    }

    /**
     * An equal config that records which keys its getters are asked for ({@link #keysRead()}), so a
     * test can find keys that are accepted but that no settings builder reads.
     */
    public Config recordingReads() {
        return new Config(this, ConcurrentHashMap.newKeySet());
    }

    /** The keys read through the getters of a {@link #recordingReads()} copy, in no order; empty for other configs. */
    public Set<String> keysRead() {
        return reads == null ? Set.of() : Set.copyOf(reads);
    }

    /** The value of a key: Boolean, Integer, Double, String, an unmodifiable List of those, or null for None. */
    public Object get(String key) {
        return values.get(read(key(key)).name());
    }

    public String getString(String key) {
        return notNone(key, typed(key, "getString", ValueType.STRING, ValueType.NULLABLE_STRING), "getNullableString");
    }

    /** A string that may be None (null), such as {@code CYCLE.IDENTITY}. */
    public String getNullableString(String key) {
        return typed(key, "getNullableString", ValueType.STRING, ValueType.NULLABLE_STRING);
    }

    public int getInt(String key) {
        Integer v = typed(key, "getInt", ValueType.INT, ValueType.NULLABLE_INT);
        return notNone(key, v, "getNullableInt");
    }

    public Integer getNullableInt(String key) {
        return typed(key, "getNullableInt", ValueType.INT, ValueType.NULLABLE_INT);
    }

    /** A number; integer keys are widened. */
    public double getDouble(String key) {
        Number v = typed(key, "getDouble", ValueType.DOUBLE, ValueType.NULLABLE_DOUBLE, ValueType.INT, ValueType.NULLABLE_INT);
        return notNone(key, v, "getNullableDouble").doubleValue();
    }

    /** A number that may be None (null), such as {@code STYLEGAN.TARGET}. */
    public Double getNullableDouble(String key) {
        Number v = typed(key, "getNullableDouble", ValueType.DOUBLE, ValueType.NULLABLE_DOUBLE, ValueType.INT,
                ValueType.NULLABLE_INT);
        return v == null ? null : v.doubleValue();
    }

    public boolean getBool(String key) {
        return typed(key, "getBool", ValueType.BOOL);
    }

    public List<String> getStringList(String key) {
        return typed(key, "getStringList", ValueType.STRING_LIST);
    }

    public List<Integer> getIntList(String key) {
        return typed(key, "getIntList", ValueType.INT_LIST);
    }

    /** A list of numbers; integer lists are widened. */
    public List<Double> getDoubleList(String key) {
        List<? extends Number> v = typed(key, "getDoubleList", ValueType.DOUBLE_LIST, ValueType.INT_LIST);
        return v.stream().map(Number::doubleValue).toList();
    }

    /**
     * The keys unitpath accepts from the release's configs without effect, each with the reason
     * (Detectron2 registry names, FID settings, the release loop's console interval, ...).
     */
    public static Map<String, String> ignoredKeys() {
        return notes(Schema.Use.IGNORED);
    }

    /** The keys of the release's configs where unitpath implements only the default, with what it implements. */
    public static Map<String, String> fixedKeys() {
        return notes(Schema.Use.FIXED);
    }

    /** Every key, in schema order. */
    public static List<String> keys() {
        return List.copyOf(Schema.KEYS.keySet());
    }

    /** The ignored keys ({@link #ignoredKeys()}) that a file or the command line set, with their values. */
    public Map<String, Object> ignoredSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : ignoredKeys().keySet()) {
            if (!origin(k).equals(ConfigLoader.DEFAULTS)) {
                out.put(k, values.get(k));
            }
        }
        return out;
    }

    /** One log line naming the ignored keys this config sets ("" when none): they are listed once, not silently dropped. */
    public String ignoredSummary() {
        List<String> parts = new ArrayList<>();
        ignoredSettings().forEach((k, v) -> parts.add(k + " " + ValueType.format(v)));
        return parts.isEmpty() ? "" : "config keys without effect in unitpath (see `unitpath config show`): "
                + String.join(", ", parts);
    }

    private static Map<String, String> notes(Schema.Use use) {
        Map<String, String> out = new LinkedHashMap<>();
        Schema.KEYS.values().stream().filter(k -> k.use() == use).forEach(k -> out.put(k.name(), k.note()));
        return Collections.unmodifiableMap(out);
    }

    /** Where a key's value came from: a config file's path, {@code "command line"} or {@code "defaults"}. */
    public String origin(String key) {
        return origins.getOrDefault(key(key).name(), ConfigLoader.DEFAULTS);
    }

    /** The config files merged, bases first. */
    public List<String> files() {
        return files;
    }

    /** Dotted key to value, in schema order (for logging); None is null. */
    public Map<String, Object> flatten() {
        return values;
    }

    /** The whole config as YAML, sections in schema order; {@link #load} of it gives an equal config. */
    public String toYaml() {
        StringBuilder sb = new StringBuilder();
        String[] open = new String[0];
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            String[] sections = Arrays.copyOf(parts, parts.length - 1);
            int common = 0;
            while (common < open.length && common < sections.length && open[common].equals(sections[common])) {
                common++;
            }
            for (int depth = common; depth < sections.length; depth++) {
                if (depth == 0 && sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append("  ".repeat(depth)).append(sections[depth]).append(":\n");
            }
            sb.append("  ".repeat(sections.length)).append(parts[parts.length - 1]).append(": ")
                    .append(ValueType.format(e.getValue())).append('\n');
            open = sections;
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Config" + values;
    }

    private static Schema.Key key(String name) {
        Schema.Key key = Schema.KEYS.get(Schema.canonical(Objects.requireNonNull(name, "key")));
        if (key == null) {
            throw new IllegalArgumentException(ConfigLoader.unknownKey(name, ""));
        }
        return key;
    }

    private Schema.Key read(Schema.Key key) {
        if (reads != null) {
            reads.add(key.name());
        }
        return key;
    }

    @SuppressWarnings("unchecked")
    private <T> T typed(String name, String getter, ValueType... accepted) {
        Schema.Key key = read(key(name));
        if (!Arrays.asList(accepted).contains(key.type())) {
            throw new IllegalArgumentException(key.name() + " holds " + key.type().expected() + "; " + getter + " cannot read it");
        }
        return (T) values.get(key.name());
    }

    private static <T> T notNone(String key, T value, String nullableGetter) {
        if (value == null) {
            throw new IllegalArgumentException(key + " is None; read it with " + nullableGetter);
        }
        return value;
    }
}
