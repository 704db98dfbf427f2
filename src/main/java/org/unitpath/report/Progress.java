package org.unitpath.report;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training progress line: iteration/total, percent, ETA, images/s and a few losses. On a
 * terminal it is one line redrawn in place with {@code \r} (at most every 200 ms, and always on
 * the last iteration); otherwise (a log file, a batch job) it is a plain INFO log line every
 * {@code logPeriod} iterations. Never both.
 *
 * <p>Speed and ETA are measured over the last few updates, so the slow first iterations
 * (allocator warm-up, JIT) stop counting once the run is under way.
 */
public class Progress {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WINDOW = 32;
    private static final int MAX_SCALARS = 4;

    private final long total;
    private final long logPeriod;
    private final long imagesPerIter;
    private final PrintStream terminal;
    private final LongSupplier nanos;
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    private Boolean onTerminal;
    private long lastDraw = Long.MIN_VALUE;
    private int drawnLength;

    /**
     * @param total iterations planned in the whole run
     * @param logPeriod iterations between log lines when not on a terminal
     * @param imagesPerIter images one iteration consumes (batch size x processes)
     */
    public Progress(long total, long logPeriod, long imagesPerIter) {
        this(total, logPeriod, imagesPerIter, System.err, System::nanoTime);
    }

    Progress(long total, long logPeriod, long imagesPerIter, PrintStream terminal, LongSupplier nanos) {
        if (total < 1 || logPeriod < 1 || imagesPerIter < 1) {
            throw new IllegalArgumentException("total, log period and images per iteration must be positive");
        }
        this.total = total;
        this.logPeriod = logPeriod;
        this.imagesPerIter = imagesPerIter;
        this.terminal = terminal;
        this.nanos = nanos;
    }

    /** Whether output goes to an interactive terminal; tests override this. */
    protected boolean attachedToTerminal() {
        return System.console() != null;
    }

    /**
     * Reports that iteration {@code iter} (1-based: iterations completed) is done; the first
     * few entries of {@code scalars} (in its order) are shown.
     */
    public void update(long iter, Map<String, ? extends Number> scalars) {
        long now = nanos.getAsLong();
        window.addLast(new long[] {now, iter});
        while (window.size() > WINDOW) {
            window.removeFirst();
        }
        if (onTerminal == null) {
            onTerminal = attachedToTerminal();
        }
        boolean last = iter >= total;
        if (onTerminal) {
            if (last || lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                String text = line(iter, scalars);
                int pad = Math.max(0, drawnLength - text.length());
                terminal.print("\r" + text + " ".repeat(pad));
                drawnLength = text.length();
                terminal.flush();
            }
        } else if (iter % logPeriod == 0 || last) {
            LOG.info("{}", line(iter, scalars));
        }
    }

    /** Ends the redrawn line so that later output starts on a fresh line. */
    public void finish() {
        if (Boolean.TRUE.equals(onTerminal) && drawnLength > 0) {
            terminal.println();
            terminal.flush();
            drawnLength = 0;
        }
    }

    /** Iterations per second over the recent updates, NaN until two updates are known. */
    double iterationsPerSecond() {
        if (window.size() < 2) {
            return Double.NaN;
        }
        long[] first = window.peekFirst();
        long[] last = window.peekLast();
        double seconds = (last[0] - first[0]) / 1e9;
        return seconds > 0 ? (last[1] - first[1]) / seconds : Double.NaN;
    }

    String line(long iter, Map<String, ? extends Number> scalars) {
        StringBuilder sb = new StringBuilder();
        int digits = Long.toString(total).length();
        sb.append(String.format(Locale.ROOT, "iter %" + digits + "d/%d %5.1f%%", iter, total, 100.0 * iter / total));
        double rate = iterationsPerSecond();
        sb.append("  ETA ").append(Double.isFinite(rate) && rate > 0 ? duration((total - Math.min(iter, total)) / rate) : "--");
        sb.append(Double.isFinite(rate) ? String.format(Locale.ROOT, "  %.1f img/s", rate * imagesPerIter) : "  -- img/s");
        int shown = 0;
        for (Map.Entry<String, ? extends Number> e : scalars.entrySet()) {
            if (shown++ == MAX_SCALARS) {
                break;
            }
            sb.append("  ").append(e.getKey()).append(' ').append(number(e.getValue()));
        }
        return sb.toString();
    }

    public static String number(Number n) {
        if (n == null) {
            return "nan";
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** 45s, 12m05s, 3h07m, 2d04h. */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }
}
