package org.unitpath.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.AtomicFiles;
import org.unitpath.io.CsvText;

/**
 * What happened to each slide of a run, written as {@code summary.csv}: one row per slide in the
 * cohort's order with its status, counts, time and error, then the manifest's extra columns.
 * Outcomes may arrive from several threads. The file is rewritten now and then during the run
 * (atomically), so a job killed by its scheduler still leaves an account of the slides it finished.
 */
public final class CohortSummary {
    public static final List<String> COLUMNS = List.of("path", "status", "tiles", "nuclei", "seconds", "error");
    private static final Logger log = LoggerFactory.getLogger(CohortSummary.class);
    private static final long REWRITE_NANOS = 60_000_000_000L;

    /** A slide's outcome: its outputs were made, were already complete, or could not be made. */
    public enum Status {
        DONE, SKIPPED, FAILED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record Row(Status status, Long tiles, Long nuclei, Double seconds, String error) {}

    private final List<Cohort.Entry> entries;
    private final List<String> extraColumns;
    private final Path file;
    private final boolean failFast;
    private final Function<Throwable, String> describe;
    private final BiConsumer<String, Throwable> onFailure;
    private final Map<Path, Row> rows = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private long lastWrite = System.nanoTime();

    /**
     * The summary of {@code entries}, to be written to {@code file}. A failure is recorded as the
     * one line {@code describe} makes of it (prefixed with the slide unless it names it) and passed
     * on to {@code onFailure} as it happens; with {@code failFast} the run should stop after the first.
     */
    public CohortSummary(List<Cohort.Entry> entries, List<String> extraColumns, Path file, boolean failFast,
            Function<Throwable, String> describe, BiConsumer<String, Throwable> onFailure) {
        this.entries = List.copyOf(entries);
        this.extraColumns = List.copyOf(extraColumns);
        this.file = file;
        this.failFast = failFast;
        this.describe = describe;
        this.onFailure = onFailure;
    }

    public Path file() {
        return file;
    }

    /**
     * A slide whose outputs were made; {@code tiles} or {@code nuclei} null where they do not
     * apply, {@code note} (or null) says why a finished slide gave nothing, e.g. that it is
     * smaller than one tile.
     */
    public void done(Path slide, Long tiles, Long nuclei, double seconds, String note) {
        record(slide, new Row(Status.DONE, tiles, nuclei, seconds, note));
    }

    /** A slide whose outputs were complete before this run. */
    public void skipped(Path slide, Long tiles, Long nuclei) {
        record(slide, new Row(Status.SKIPPED, tiles, nuclei, null, null));
    }

    /** A slide that failed; it has no complete outputs, so the next run tries it again. */
    public void failed(Path slide, Throwable error, double seconds) {
        String message = describe.apply(error);
        if (!message.contains(slide.getFileName().toString())) {
            message = slide + ": " + message;
        }
        firstFailure.compareAndSet(null, error);
        record(slide, new Row(Status.FAILED, null, null, seconds, message));
        onFailure.accept(message, error);
    }

    /** Whether the run should stop: {@code failFast} and a slide has failed. */
    public boolean stopping() {
        return failFast && firstFailure.get() != null;
    }

    public Throwable firstFailure() {
        return firstFailure.get();
    }

    public long count(Status status) {
        return rows.values().stream().filter(r -> r.status() == status).count();
    }

    private void record(Path slide, Row row) {
        rows.put(slide, row);
        boolean due;
        synchronized (this) {
            due = System.nanoTime() - lastWrite > REWRITE_NANOS;
        }
        if (due) {
            try {
                write();
            } catch (IOException e) {
                log.warn("{}", e.getMessage());
            }
        }
    }

    /** Writes the file atomically: the slides with an outcome so far, in the cohort's order. */
    public synchronized void write() throws IOException {
        lastWrite = System.nanoTime();
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(COLUMNS);
        for (String c : extraColumns) {
            // a manifest column named like one of ours (say "status") keeps its values under another name
            header.add(COLUMNS.contains(c.toLowerCase(Locale.ROOT)) ? "manifest_" + c : c);
        }
        sb.append(CsvText.row(header));
        for (Cohort.Entry e : entries) {
            Row r = rows.get(e.path());
            if (r == null) {
                continue;
            }
            List<String> fields = new ArrayList<>(List.of(e.path().toString(), r.status().toString(), text(r.tiles()),
                    text(r.nuclei()), r.seconds() == null ? "" : String.format(Locale.ROOT, "%.2f", r.seconds()),
                    r.error() == null ? "" : r.error()));
            fields.addAll(e.extra().isEmpty() ? Collections.nCopies(extraColumns.size(), "") : e.extra());
            sb.append(CsvText.row(fields));
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Long v) {
        return v == null ? "" : v.toString();
    }
}
