package org.unitpath.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.unitpath.config.YamlTree.Node;
import org.unitpath.config.YamlTree.Scalar;
import org.unitpath.config.YamlTree.Sequence;

/**
 * The value types of config keys, how a YAML value becomes one (with yacs' leniency: quoted
 * numbers are numbers, integers are accepted where a float is expected, and {@code None} is the
 * null of nullable keys) and how a value is written back as YAML.
 */
enum ValueType {
    BOOL("true or false"),
    INT("an integer"),
    DOUBLE("a number"),
    STRING("a string"),
    NULLABLE_STRING("a string or None"),
    NULLABLE_INT("an integer or None"),
    NULLABLE_DOUBLE("a number or None"),
    STRING_LIST("a list of strings"),
    INT_LIST("a list of integers"),
    DOUBLE_LIST("a list of numbers");

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Set<String> TRUE = Set.of("true", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "no", "off");
    /** Marks a mismatch; a plain null is a valid value of nullable keys. */
    private static final Object BAD = new Object();

    private final String expected;

    ValueType(String expected) {
        this.expected = expected;
    }

    String expected() {
        return expected;
    }

    boolean isList() {
        return this == STRING_LIST || this == INT_LIST || this == DOUBLE_LIST;
    }

    /**
     * Reads {@code node} as a value of this type for {@code key}; {@code where} (" in a.yaml",
     * " on the command line") completes the message of the IllegalArgumentException it throws.
     */
    Object convert(Node node, Schema.Key key, String where) {
        Node read = node instanceof Scalar s ? pythonLiteral(s) : node;
        Object value = read instanceof Scalar s ? scalar(s, key) : read instanceof Sequence q ? list(q) : BAD;
        if (value == BAD) {
            throw new IllegalArgumentException(key.name() + where + ": expected " + expected + ", got "
                    + YamlTree.describe(node));
        }
        return value;
    }

    /**
     * yacs reads strings as Python literals, so the release writes tuples: "(120000, 160000)" and
     * "(256,)" are lists, "(False)" is False. Strings keep their text; anything unreadable is
     * left for the type check to report as written.
     */
    private Node pythonLiteral(Scalar s) {
        String t = s.text().trim();
        if (s.kind() != JsonToken.VALUE_STRING || this == STRING || this == NULLABLE_STRING || t.length() < 2
                || !t.startsWith("(") || !t.endsWith(")")) {
            return s;
        }
        String inner = t.substring(1, t.length() - 1).trim();
        if (!isList() && (inner.isEmpty() || inner.contains(","))) {
            return s;
        }
        try {
            Node n = YamlTree.parse(isList() ? "[" + inner + "]" : inner, "a Python literal");
            return isList() ? n : n instanceof Scalar ? n : s;
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private Object scalar(Scalar s, Schema.Key key) {
        boolean none = s.isNull() || (s.kind() == JsonToken.VALUE_STRING && s.text().equals("None"));
        return switch (this) {
            case BOOL -> bool(s);
            case INT -> integer(s);
            case DOUBLE -> decimal(s);
            // the release compares the string "None" (e.g. SEG_GUIDE_STRATEGY: None) like any other value
            case STRING -> s.isNull() ? (key.choices().contains("None") ? "None" : BAD) : s.text();
            case NULLABLE_STRING -> none ? null : s.text();
            case NULLABLE_INT -> none ? null : integer(s);
            case NULLABLE_DOUBLE -> none ? null : decimal(s);
            case STRING_LIST, INT_LIST, DOUBLE_LIST -> BAD;
        };
    }

    private Object list(Sequence q) {
        if (!isList()) {
            return BAD;
        }
        List<Object> out = new ArrayList<>();
        for (Node item : q.items()) {
            Object v = BAD;
            if (item instanceof Scalar s && !s.isNull()) {
                v = this == STRING_LIST ? s.text() : this == INT_LIST ? integer(s) : decimal(s);
            }
            if (v == BAD) {
                return BAD;
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static Object bool(Scalar s) {
        if (s.kind() == JsonToken.VALUE_TRUE || s.kind() == JsonToken.VALUE_FALSE) {
            return s.kind() == JsonToken.VALUE_TRUE;
        }
        String t = s.text().toLowerCase(Locale.ROOT);
        return s.kind() != JsonToken.VALUE_STRING ? BAD : TRUE.contains(t) ? Boolean.TRUE : FALSE.contains(t) ? Boolean.FALSE : BAD;
    }

    private static Object integer(Scalar s) {
        BigInteger v = null;
        if (s.kind() == JsonToken.VALUE_NUMBER_INT && s.number() != null) {
            v = s.number() instanceof BigInteger b ? b : BigInteger.valueOf(s.number().longValue());
        } else if (s.kind() == JsonToken.VALUE_STRING && INTEGER.matcher(s.text().trim()).matches()) {
            v = new BigInteger(s.text().trim());
        }
        return v == null || v.bitLength() > 31 ? BAD : (Object) v.intValue();
    }

    private static Object decimal(Scalar s) {
        double v;
        if ((s.kind() == JsonToken.VALUE_NUMBER_INT || s.kind() == JsonToken.VALUE_NUMBER_FLOAT) && s.number() != null) {
            v = s.number().doubleValue();
        } else if (s.kind() == JsonToken.VALUE_STRING && DECIMAL.matcher(s.text().trim()).matches()) {
            v = Double.parseDouble(s.text().trim());
        } else {
            return BAD;
        }
        return Double.isFinite(v) ? (Object) v : BAD;
    }

    /** A value as YAML flow text that reads back to the same value. */
    static String format(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double d) {
            return formatDouble(d);
        }
        if (value instanceof String s) {
            return s.isEmpty() ? "''" : YamlTree.isPlain(s) ? s
                    : "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(format(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        return value.toString();
    }

    /** Plain decimals in the usual range (0.0004, not 4.0E-4), always with a point so they read as floats. */
    static String formatDouble(double d) {
        double a = Math.abs(d);
        if (a == 0 || a < 1e-6 || a >= 1e9) {
            return Double.toString(d);
        }
        String s = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }
}
