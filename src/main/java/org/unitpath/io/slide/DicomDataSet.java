package org.unitpath.io.slide;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The data elements of one DICOM data set (or sequence item) that {@link DicomFile} kept: values
 * as little-endian bytes with their VR, sequences as lists of nested data sets. Everything else
 * in the file was skipped while parsing.
 */
record DicomDataSet(Map<Integer, Object> elements) {
    /** One kept value: its two-letter VR packed into an int (see {@link #vr}) and its bytes. */
    record Value(int vr, byte[] bytes) {}

    static final int SQ = vr("SQ");

    DicomDataSet {
        elements = Map.copyOf(elements);
    }

    static int vr(String code) {
        return (code.charAt(0) << 8) | code.charAt(1);
    }

    static String vrName(int vr) {
        return "" + (char) (vr >> 8) + (char) (vr & 0xff);
    }

    static int tag(int group, int element) {
        return (group << 16) | element;
    }

    static String tagName(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xffff);
    }

    /** This data set without element {@code tag}. */
    DicomDataSet without(int tag) {
        Map<Integer, Object> rest = new java.util.HashMap<>(elements);
        rest.remove(tag);
        return new DicomDataSet(rest);
    }

    boolean has(int tag) {
        return elements.containsKey(tag);
    }

    /** The items of a sequence; empty when absent. */
    List<DicomDataSet> items(int tag) {
        Object o = elements.get(tag);
        if (o instanceof List<?> list) {
            List<DicomDataSet> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add((DicomDataSet) item);
            }
            return out;
        }
        return List.of();
    }

    /** The first item of a sequence, or an empty data set. */
    DicomDataSet first(int tag) {
        List<DicomDataSet> items = items(tag);
        return items.isEmpty() ? new DicomDataSet(Map.of()) : items.get(0);
    }

    /** The backslash-separated values of a text element, trimmed; empty when absent. */
    List<String> strings(int tag) {
        if (!(elements.get(tag) instanceof Value v)) {
            return List.of();
        }
        String text = new String(v.bytes(), StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        for (String s : text.split("\\\\", -1)) {
            out.add(s.replace('\0', ' ').trim());
        }
        return out;
    }

    /** The first value of a text element, or "" when absent. */
    String string(int tag) {
        List<String> values = strings(tag);
        return values.isEmpty() ? "" : values.get(0);
    }

    /** The first value of an integer element (US, UL, SS, SL or IS). */
    OptionalLong integer(int tag) {
        if (!(elements.get(tag) instanceof Value v)) {
            return OptionalLong.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        String vr = vrName(v.vr());
        try {
            return switch (vr) {
                case "US" -> b.remaining() >= 2 ? OptionalLong.of(b.getShort() & 0xffff) : OptionalLong.empty();
                case "SS" -> b.remaining() >= 2 ? OptionalLong.of(b.getShort()) : OptionalLong.empty();
                case "UL" -> b.remaining() >= 4 ? OptionalLong.of(b.getInt() & 0xffffffffL) : OptionalLong.empty();
                case "SL" -> b.remaining() >= 4 ? OptionalLong.of(b.getInt()) : OptionalLong.empty();
                default -> {
                    String s = string(tag);
                    yield s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s.startsWith("+") ? s.substring(1) : s));
                }
            };
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The values of a decimal element (DS, FL or FD); empty when absent or unreadable. */
    double[] decimals(int tag) {
        if (!(elements.get(tag) instanceof Value v)) {
            return new double[0];
        }
        ByteBuffer b = ByteBuffer.wrap(v.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        String vr = vrName(v.vr());
        if (vr.equals("FL") || vr.equals("FD")) {
            int size = vr.equals("FL") ? 4 : 8;
            double[] out = new double[b.remaining() / size];
            for (int i = 0; i < out.length; i++) {
                out[i] = size == 4 ? b.getFloat() : b.getDouble();
            }
            return out;
        }
        List<String> values = strings(tag);
        double[] out = new double[values.size()];
        try {
            for (int i = 0; i < out.length; i++) {
                out[i] = Double.parseDouble(values.get(i));
            }
        } catch (NumberFormatException e) {
            return new double[0];
        }
        return out;
    }

    OptionalDouble decimal(int tag) {
        double[] values = decimals(tag);
        return values.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(values[0]);
    }
}
