package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.CsvText;
import org.unitpath.io.slide.Slides;

/**
 * The slides of a run: files and folders from the command line and the rows of a manifest CSV,
 * de-duplicated and sorted by real path, so that every machine given the same arguments lists the
 * same slides in the same order and {@link Shard}s split them without talking to each other.
 */
public final class Cohort {
    private static final Logger log = LoggerFactory.getLogger(Cohort.class);
    private static final Pattern SUMMARY = Pattern.compile("summary(-shard-\\d+-of-\\d+)?");

    /** A slide (or, for embed, a folder of tiles) and the manifest's extra columns for it, empty without one. */
    public record Entry(Path path, List<String> extra) {
        public Entry {
            extra = List.copyOf(extra);
        }
    }

    /** How a folder is read: searched for slides, or (embed) taken whole as one folder of tiles. */
    public enum Folders { SLIDES, TILE_FOLDERS }

    /** Slide i belongs to shard {@code index} (1-based) of {@code count} when {@code i % count == index - 1}. */
    public record Shard(int index, int count) {
        public Shard {
            if (count < 1 || index < 1 || index > count) {
                throw new IllegalArgumentException("--shard must be K/N with 1 <= K <= N (1-based: 1/8 .. 8/8), got "
                        + index + "/" + count);
            }
        }

        /** Parses {@code K/N}; a malformed or out-of-range value is an error naming the option. */
        public static Shard parse(String text) {
            String[] kn = text.strip().split("/", -1);
            try {
                if (kn.length == 2) {
                    return new Shard(Integer.parseInt(kn[0].strip()), Integer.parseInt(kn[1].strip()));
                }
            } catch (NumberFormatException e) {
                // reported below, with the expected form
            }
            throw new IllegalArgumentException("--shard must be K/N with 1 <= K <= N (1-based: 1/8 .. 8/8), got '" + text + "'");
        }

        /** The shard's summary file, {@code summary-shard-K-of-N.csv}: shards never write the same file. */
        public String summaryName() {
            return "summary-shard-" + index + "-of-" + count + ".csv";
        }
    }

    private final List<Entry> entries;
    private final List<String> extraColumns;

    private Cohort(List<Entry> entries, List<String> extraColumns) {
        this.entries = List.copyOf(entries);
        this.extraColumns = List.copyOf(extraColumns);
    }

    /**
     * Lists {@code inputs} (files as given, whatever their extension; folders as {@code folders}
     * says, searched recursively with {@code recursive}) and the rows of {@code manifest} (may be null).
     */
    public static Cohort list(List<Path> inputs, Path manifest, boolean recursive, Folders folders) throws IOException {
        List<Entry> found = new ArrayList<>();
        List<String> extraColumns = List.of();
        if (manifest != null) {
            extraColumns = readManifest(manifest, recursive, folders, found);
        }
        for (Path in : inputs) {
            if (!Files.exists(in)) {
                throw new NoSuchFileException(in.toString());
            }
            for (Path p : expand(in, recursive, folders)) {
                found.add(new Entry(p, List.of()));
            }
        }
        // manifest rows come first, so a slide both listed there and given as a file keeps its columns
        Map<String, Entry> byRealPath = new HashMap<>();
        for (Entry e : found) {
            byRealPath.putIfAbsent(e.path().toRealPath().toString(), e);
        }
        if (byRealPath.size() < found.size()) {
            log.info("{} input{} listed more than once, taken once", found.size() - byRealPath.size(),
                    found.size() - byRealPath.size() == 1 ? "" : "s");
        }
        List<String> keys = new ArrayList<>(byRealPath.keySet());
        Collections.sort(keys);
        List<Entry> sorted = new ArrayList<>();
        keys.forEach(k -> sorted.add(byRealPath.get(k)));
        return new Cohort(oneFilePerSeries(sorted), extraColumns);
    }

    /** Every input, sorted; the same on every machine. */
    public List<Entry> entries() {
        return entries;
    }

    /** The manifest's columns other than the path, in its order; empty without a manifest. */
    public List<String> extraColumns() {
        return extraColumns;
    }

    /** The inputs of one shard, in the cohort's order. */
    public List<Entry> shard(Shard shard) {
        List<Entry> out = new ArrayList<>();
        for (int i = shard.index() - 1; i < entries.size(); i += shard.count()) {
            out.add(entries.get(i));
        }
        return out;
    }

    /**
     * Fails when two inputs would write outputs of the same {@code name} (checked over the whole
     * cohort, so every shard agrees), or, with {@code besideSummary}, when a name would write a
     * CSV file over the run's summary. {@code clash} completes "A and B would both write ...".
     */
    public void requireDistinctNames(Function<Path, String> name, Function<String, String> clash, boolean besideSummary) {
        Map<String, Path> names = new HashMap<>();
        for (Entry e : entries) {
            String n = name.apply(e.path());
            Path other = names.putIfAbsent(n, e.path());
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + e.path() + " would both write " + clash.apply(n));
            }
            if (besideSummary && SUMMARY.matcher(n).matches()) {
                throw new IllegalArgumentException(e.path() + " would write " + n + ".csv, the name of the run's summary; "
                        + "rename it");
            }
        }
    }

    private static List<Path> expand(Path in, boolean recursive, Folders folders) throws IOException {
        if (!Files.isDirectory(in)) {
            return List.of(in);
        }
        return folders == Folders.TILE_FOLDERS ? List.of(in) : SlideFiles.folder(in, recursive);
    }

    /**
     * Reads a manifest: a header line, then one input per line in the column {@code path} (else
     * the first), relative paths against the manifest's folder; blank lines and lines starting
     * with # are skipped. Returns the other columns' names and adds the inputs to {@code out}.
     */
    private static List<String> readManifest(Path csv, boolean recursive, Folders folders, List<Entry> out) throws IOException {
        List<CsvText.Row> rows = new ArrayList<>();
        for (CsvText.Row r : CsvText.read(csv)) {
            if (!r.fields().get(0).startsWith("#")) {
                rows.add(r);
            }
        }
        if (rows.size() < 2) {
            throw new IOException(csv + ": no slides listed (expected a header line such as 'path', then one path per line)");
        }
        List<String> header = rows.get(0).fields();
        int column = 0;
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).toLowerCase(Locale.ROOT).equals("path")) {
                column = i;
                break;
            }
        }
        if (column == 0 && !header.get(0).equalsIgnoreCase("path") && SlideFiles.isSlideName(header.get(0))) {
            throw new IOException(csv + " line " + rows.get(0).line() + ": '" + header.get(0) + "' looks like a slide, "
                    + "but the first line must be a header naming the columns (e.g. path)");
        }
        List<String> extraColumns = new ArrayList<>(header);
        extraColumns.remove(column);
        Path base = csv.getParent() == null ? Path.of("") : csv.getParent();
        for (CsvText.Row r : rows.subList(1, rows.size())) {
            String where = csv + " line " + r.line() + ": ";
            List<String> fields = r.fields();
            if (fields.size() > header.size()) {
                throw new IOException(where + fields.size() + " fields, the header has " + header.size());
            }
            String text = column < fields.size() ? fields.get(column) : "";
            if (text.isEmpty()) {
                throw new IOException(where + "no path in column '" + header.get(column) + "'");
            }
            Path path;
            try {
                path = base.resolve(text).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new IOException(where + "'" + text + "' is not a valid path");
            }
            if (!Files.exists(path)) {
                throw new IOException(where + path + ": no such file");
            }
            List<String> extra = new ArrayList<>(fields);
            while (extra.size() < header.size()) {
                extra.add("");
            }
            extra.remove(column);
            List<Path> paths;
            try {
                paths = expand(path, recursive, folders);
            } catch (IOException e) {
                throw new IOException(where + e.getMessage(), e);
            }
            paths.forEach(p -> out.add(new Entry(p, extra)));
        }
        return extraColumns;
    }

    /** One file per multi-file slide, so that a folder of a DICOM series' level files is one slide. */
    private static List<Entry> oneFilePerSeries(List<Entry> entries) {
        List<Path> files = entries.stream().map(Entry::path).filter(p -> !Files.isDirectory(p)).toList();
        Set<Path> keep = new HashSet<>(Slides.distinctSlides(files));
        return entries.stream().filter(e -> Files.isDirectory(e.path()) || keep.contains(e.path())).toList();
    }
}
