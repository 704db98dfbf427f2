package org.unitpath.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.unitpath.data.Cohort;
import org.unitpath.data.CohortSummary;
import org.unitpath.data.CohortSummary.Status;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of the commands that work through many slides (tiles, segment, embed): a manifest,
 * recursive folders, a shard of the cohort, and whether to stop at the first failed slide; and
 * the run's end: its summary file, one line on stdout, and the exit code.
 */
final class CohortOptions {
    @Option(names = "--manifest", paramLabel = "CSV",
            description = "A CSV file listing the inputs: a header line, then one per line in the column 'path' (else the "
                    + "first), relative to the CSV's folder; blank lines and lines starting with # are skipped, other "
                    + "columns are copied to the summary.")
    Path manifest;

    @Option(names = "--recursive", description = "Search folders and their subfolders for slides (default: only the folder itself).")
    boolean recursive;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "Process only shard K of N (1-based, 1 <= K <= N) of the sorted inputs: every slide i (counting from 0) with "
                    + "i mod N = K - 1. Machines given the same inputs and shards 1/N .. N/N split the work without overlap; "
                    + "the summary is then summary-shard-K-of-N.csv.")
    String shard;

    @Option(names = "--fail-fast", description = "Stop at the first slide that fails (default: record it and go on; "
            + "the exit code is then 3).")
    boolean failFast;

    /** This shard's inputs and the cohort they come from; the other arguments are checked first. */
    record Listing(Cohort cohort, List<Cohort.Entry> slides, Cohort.Shard shard) {
        List<Path> paths() {
            return slides.stream().map(Cohort.Entry::path).toList();
        }
    }

    /** Lists the inputs; no inputs and no manifest, or a malformed --shard, is a usage error. */
    Listing list(CommandSpec spec, List<Path> inputs, Cohort.Folders folders) throws IOException {
        Cohort.Shard k = null;
        if (shard != null) {
            try {
                k = Cohort.Shard.parse(shard);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        List<Path> given = inputs == null ? List.of() : inputs;
        if (given.isEmpty() && manifest == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give input files or folders, or --manifest CSV");
        }
        Cohort cohort = Cohort.list(given, manifest, recursive, folders);
        return new Listing(cohort, k == null ? cohort.entries() : cohort.shard(k), k);
    }

    /**
     * The run's summary in {@code out}; each failed slide is reported on stderr as one line as it
     * fails (with --debug, its stack trace too).
     */
    CohortSummary summary(CommandSpec spec, Listing listing, Path out) {
        String name = listing.shard() == null ? "summary.csv" : listing.shard().summaryName();
        PrintWriter err = spec.commandLine().getErr();
        boolean debug = ((Main) spec.root().userObject()).debug;
        return new CohortSummary(listing.slides(), listing.cohort().extraColumns(), out.resolve(name), failFast,
                ErrorHandler::message, (line, e) -> {
                    synchronized (err) {
                        err.println("unitpath: error: " + line);
                        if (debug) {
                            e.printStackTrace(err);
                        }
                        err.flush();
                    }
                });
    }

    /**
     * Writes the summary, prints "{@code command}: N done, N skipped, N failed -> FILE" and returns
     * the exit code: 0, 3 when a slide failed, or with --fail-fast the failure's own code.
     */
    int finish(CommandSpec spec, CohortSummary summary, String command) throws IOException {
        summary.write();
        PrintWriter w = spec.commandLine().getOut();
        long failed = summary.count(Status.FAILED);
        w.printf("%s: %d done, %d skipped, %d failed%s -> %s%n", command, summary.count(Status.DONE),
                summary.count(Status.SKIPPED), failed, failed > 0 ? " (a rerun retries them)" : "", summary.file());
        w.flush();
        if (failed == 0) {
            return ExitCodes.OK;
        }
        return failFast ? ErrorHandler.exitCode(summary.firstFailure()) : ExitCodes.BAD_INPUT;
    }

    /** Writes the summary after the run stopped with {@code e}, keeping {@code e} the error to report. */
    static void writeAfter(CohortSummary summary, Exception e) {
        try {
            summary.write();
        } catch (IOException | RuntimeException w) {
            e.addSuppressed(w);
        }
    }
}
