package org.unitpath.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from Linux's /proc: the current RSS, the high-water mark
 * (VmHWM) and its reset, so that a phase's peak can be measured on its own. Everything returns
 * -1 (or false) where /proc does not say, e.g. on macOS.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {}

    /** Resident set size now, bytes. */
    public static long rss() {
        return statusBytes("VmRSS:");
    }

    /** Highest resident set size since the process started or since {@link #resetPeak}, bytes. */
    public static long peak() {
        return statusBytes("VmHWM:");
    }

    /** Sets the high-water mark to the current RSS (writes 5 to clear_refs, Linux 4.0+). */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Runs {@code phase} and returns how far RSS rose above its level at the start, bytes (-1 unknown). */
    public static long riseDuring(Runnable phase) {
        long before = rss();
        boolean reset = resetPeak();
        phase.run();
        long peak = peak();
        return reset && before >= 0 && peak >= 0 ? Math.max(0, peak - before) : -1;
    }

    private static long statusBytes(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
