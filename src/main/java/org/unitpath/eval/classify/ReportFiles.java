package org.unitpath.eval.classify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.unitpath.io.AtomicFiles;
import org.unitpath.io.CsvText;
import org.unitpath.io.Png;

/** Writes an evaluation's files, each atomically: JSON summary, confusion matrix as CSV and PNG. */
public final class ReportFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {}

    /**
     * {@code <dir>/<prefix>metrics.json}, {@code <prefix>confusion.csv} and {@code <prefix>confusion.png};
     * {@code extra} entries (e.g. the method and its settings) are added to the JSON after the metrics.
     */
    public static void write(Path dir, String prefix, ClassificationReport report, Map<String, Object> extra) throws IOException {
        Map<String, Object> json = report.toJson();
        json.putAll(extra);
        writeJson(dir.resolve(prefix + "metrics.json"), json);
        AtomicFiles.write(dir.resolve(prefix + "confusion.csv"), csv(report.confusion()).getBytes(StandardCharsets.UTF_8));
        Png.write(dir.resolve(prefix + "confusion.png"), ConfusionMatrixImage.render(report.confusion()));
    }

    public static void writeJson(Path file, Object json) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(json));
    }

    /** Header {@code true\predicted,<classes>}, then one row of counts per true class. */
    public static String csv(ConfusionMatrix m) {
        StringBuilder sb = new StringBuilder("true\\predicted");
        m.classes().forEach(c -> sb.append(',').append(CsvText.field(c)));
        sb.append('\n');
        for (int t = 0; t < m.size(); t++) {
            sb.append(CsvText.field(m.classes().get(t)));
            for (long v : m.counts()[t]) {
                sb.append(',').append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
