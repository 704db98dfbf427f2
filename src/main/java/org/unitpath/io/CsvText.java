package org.unitpath.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Comma-separated values as spreadsheets write them (RFC 4180 quoting), for small tables. */
public final class CsvText {
    private CsvText() {}

    /** {@code s} as one field: quoted when it holds a comma, quote or line break. */
    public static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    public static String row(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(field(f));
        }
        return sb.append('\n').toString();
    }

    /** One row of a CSV file and the line it starts on (1-based). */
    public record Row(int line, List<String> fields) {
        public Row {
            fields = List.copyOf(fields);
        }
    }

    /**
     * The rows of a CSV file (fields trimmed, blank lines skipped, a UTF-8 byte-order mark
     * ignored); errors name the file and line.
     */
    public static List<Row> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Row> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int start = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                row.add(f.toString().strip());
                f.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                endRow(rows, start, row, f, any);
                row = new ArrayList<>();
                any = false;
                start = ++line;
            } else {
                f.append(c);
                any |= !Character.isWhitespace(c);
            }
        }
        if (quoted) {
            throw new ImageFormatException(file, "line " + line + ": unterminated quoted field");
        }
        endRow(rows, start, row, f, any);
        return rows;
    }

    private static void endRow(List<Row> rows, int line, List<String> row, StringBuilder f, boolean any) {
        if (any) {
            row.add(f.toString().strip());
            rows.add(new Row(line, row));
        }
        f.setLength(0);
    }
}
