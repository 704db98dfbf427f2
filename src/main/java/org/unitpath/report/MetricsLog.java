package org.unitpath.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.AtomicFiles;

/**
 * The training run's scalar log: one record per logged iteration, appended to
 * {@code metrics.jsonl} (the source of truth, one JSON object per line) and mirrored to
 * {@code metrics.csv} for spreadsheets and pandas. Every record carries {@code iter},
 * {@code time} (seconds of training since the run started, summed over resumed sessions),
 * {@code images} (images seen) and {@code images_per_s}, then the caller's named scalars.
 *
 * <p>Non-finite values are written as JSON {@code null} (strict parsers reject NaN) and as
 * {@code nan}/{@code inf} in the CSV; {@link #read} returns NaN for both nulls and absent keys
 * are simply missing from a record's map.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String JSONL = "metrics.jsonl";
    public static final String CSV = "metrics.csv";
    static final List<String> FIXED = List.of("iter", "time", "images", "images_per_s");

    private static final Logger LOG = LoggerFactory.getLogger(MetricsLog.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    private final Path jsonlFile;
    private final Path csvFile;
    private final LongSupplier nanos;
    private final List<Map<String, Double>> records = new ArrayList<>();
    private final Set<String> columns = new LinkedHashSet<>(FIXED);
    private final double timeOffset;
    private final long sessionStart;
    private final long resumeIter;
    private long lastImages;
    private long lastNanos;
    private Writer jsonl;
    private Writer csv;

    private MetricsLog(Path dir, long resumeIter, long resumeImages, LongSupplier nanos) throws IOException {
        Files.createDirectories(dir);
        this.jsonlFile = dir.resolve(JSONL);
        this.csvFile = dir.resolve(CSV);
        this.nanos = nanos;
        List<String> keptLines = new ArrayList<>();
        if (Files.exists(jsonlFile)) {
            List<String> lines = Files.readAllLines(jsonlFile, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Map<String, Double> r = parse(lines.get(i), jsonlFile, i + 1);
                if (r != null && r.get("iter") < resumeIter) {
                    records.add(r);
                    columns.addAll(r.keySet());
                    keptLines.add(lines.get(i));
                }
            }
        }
        AtomicFiles.write(jsonlFile, false, out -> {
            for (String line : keptLines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        rewriteCsv();
        Map<String, Double> last = records.isEmpty() ? null : records.get(records.size() - 1);
        // Time between the last kept record and the checkpoint is not known; dropping it undercounts by under one log period.
        this.timeOffset = last == null ? 0 : orZero(last.get("time"));
        this.resumeIter = resumeIter;
        this.lastImages = resumeImages;
        this.sessionStart = nanos.getAsLong();
        this.lastNanos = sessionStart;
        this.jsonl = appender(jsonlFile);
    }

    /** A fresh log in {@code dir}: records left there by an earlier run are dropped. */
    public static MetricsLog open(Path dir) throws IOException {
        return open(dir, 0, 0);
    }

    /**
     * Opens the log of a run resumed at iteration {@code resumeIter} (the first iteration this
     * session will run) having seen {@code resumeImages} images: records with {@code iter} &lt;
     * {@code resumeIter} are kept, later ones (written after the checkpoint) are dropped.
     */
    public static MetricsLog open(Path dir, long resumeIter, long resumeImages) throws IOException {
        return new MetricsLog(dir, resumeIter, resumeImages, System::nanoTime);
    }

    static MetricsLog open(Path dir, long resumeIter, long resumeImages, LongSupplier nanos) throws IOException {
        return new MetricsLog(dir, resumeIter, resumeImages, nanos);
    }

    /**
     * Appends the record of iteration {@code iter} (strictly after the previous one) at which
     * {@code images} images have been seen in total. {@code images_per_s} is measured since the
     * previous record of this session unless {@code scalars} holds it.
     */
    public synchronized void append(long iter, long images, Map<String, ? extends Number> scalars) throws IOException {
        if (jsonl == null) {
            throw new IllegalStateException("metrics log is closed");
        }
        Map<String, Double> last = records.isEmpty() ? null : records.get(records.size() - 1);
        if (iter < resumeIter || last != null && iter <= last.get("iter")) {
            throw new IllegalArgumentException("iteration " + iter + " logged after iteration "
                    + (last == null ? resumeIter : last.get("iter").longValue()) + " (or before the resume iteration)");
        }
        long now = nanos.getAsLong();
        double seconds = (now - lastNanos) / 1e9;
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("iter", (double) iter);
        r.put("time", timeOffset + (now - sessionStart) / 1e9);
        r.put("images", (double) images);
        r.put("images_per_s", seconds > 0 && images >= lastImages ? (images - lastImages) / seconds : Double.NaN);
        for (Map.Entry<String, ? extends Number> e : scalars.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.equals("iter") || key.equals("time") || key.equals("images")) {
                throw new IllegalArgumentException("metric name '" + key + "' is empty or reserved");
            }
            r.put(key, e.getValue() == null ? Double.NaN : e.getValue().doubleValue());
        }
        records.add(r);
        lastImages = images;
        lastNanos = now;
        jsonl.write(toJson(r));
        jsonl.write('\n');
        jsonl.flush();
        if (columns.addAll(r.keySet())) {
            csv.close();
            rewriteCsv();
        } else {
            csv.write(csvRow(r));
            csv.flush();
        }
    }

    /** The records kept and appended so far, oldest first. */
    public synchronized List<Map<String, Double>> records() {
        return List.copyOf(records);
    }

    @Override
    public synchronized void close() throws IOException {
        if (jsonl != null) {
            jsonl.close();
            csv.close();
            jsonl = null;
        }
    }

    /**
     * The records of a {@code metrics.jsonl} file (or of the one in the folder {@code path}),
     * oldest first, values as doubles (null = NaN). A torn last line left by a crash is skipped.
     */
    public static List<Map<String, Double>> read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(JSONL) : path;
        List<Map<String, Double>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Double> r = parse(lines.get(i), file, i + 1);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static Map<String, Double> parse(String line, Path file, int lineNo) {
        if (line.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            LOG.warn("{}:{}: skipping an unreadable metrics record", file, lineNo);
            return null;
        }
        if (node == null || !node.isObject() || !node.path("iter").isNumber()) {
            LOG.warn("{}:{}: skipping a metrics record without an iteration", file, lineNo);
            return null;
        }
        Map<String, Double> r = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isNumber()) {
                r.put(e.getKey(), v.doubleValue());
            } else if (v.isNull()) {
                r.put(e.getKey(), Double.NaN);
            }
        }
        return r;
    }

    private static String toJson(Map<String, Double> r) {
        ObjectNode node = JSON.createObjectNode();
        for (Map.Entry<String, Double> e : r.entrySet()) {
            double v = e.getValue();
            if (e.getKey().equals("iter") || e.getKey().equals("images")) {
                node.put(e.getKey(), (long) v);
            } else if (Double.isFinite(v)) {
                node.put(e.getKey(), v);
            } else {
                node.putNull(e.getKey());
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics record could not be serialised", e);
        }
    }

    /** Writes the whole CSV with the current header, then reopens it for appending. */
    private void rewriteCsv() throws IOException {
        AtomicFiles.write(csvFile, false, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(csvHeader());
            for (Map<String, Double> r : records) {
                w.write(csvRow(r));
            }
            w.flush();
        });
        csv = appender(csvFile);
    }

    private String csvHeader() {
        StringBuilder sb = new StringBuilder();
        for (String c : columns) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(csvField(c));
        }
        return sb.append('\n').toString();
    }

    private String csvRow(Map<String, Double> r) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (String c : columns) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Double v = r.get(c);
            if (v == null) {
                continue;
            }
            if (c.equals("iter") || c.equals("images")) {
                sb.append(v.longValue());
            } else if (Double.isNaN(v)) {
                sb.append("nan");
            } else if (Double.isInfinite(v)) {
                sb.append(v > 0 ? "inf" : "-inf");
            } else {
                sb.append(v);
            }
        }
        return sb.append('\n').toString();
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static Writer appender(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
    }

    private static double orZero(Double v) {
        return v == null || !Double.isFinite(v) ? 0 : v;
    }
}
