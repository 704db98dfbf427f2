package org.unitpath.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-phase resident memory of a training step (bench pretrain --profile-memory): for each named
 * phase, the most RSS rose above its level at the phase's start and the highest RSS during it,
 * over all the times it ran. Off, it only runs the phases.
 */
public final class PhaseMemory {
    /** A phase's largest rise and highest RSS, bytes. */
    public record Usage(long riseBytes, long peakBytes) {}

    private final boolean enabled;
    private final Map<String, Usage> byPhase = new LinkedHashMap<>();

    private PhaseMemory(boolean enabled) {
        this.enabled = enabled;
    }

    public static PhaseMemory off() {
        return new PhaseMemory(false);
    }

    public static PhaseMemory on() {
        return new PhaseMemory(true);
    }

    public void run(String phase, Runnable body) {
        call(phase, () -> {
            body.run();
            return null;
        });
    }

    public <T> T call(String phase, Supplier<T> body) {
        if (!enabled) {
            return body.get();
        }
        Object[] result = new Object[1];
        long rise = ProcessMemory.riseDuring(() -> result[0] = body.get());
        long peak = ProcessMemory.peak();
        byPhase.merge(phase, new Usage(rise, peak), (a, b) -> new Usage(Math.max(a.riseBytes(), b.riseBytes()),
                Math.max(a.peakBytes(), b.peakBytes())));
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /** Phases in the order they first ran. */
    public Map<String, Usage> usage() {
        return new LinkedHashMap<>(byPhase);
    }

    /** One line per phase: "phase  +N MB RSS (peak X GB)". */
    public String table() {
        StringBuilder sb = new StringBuilder();
        byPhase.forEach((phase, u) -> sb.append(String.format("  %-16s +%6.0f MB RSS (peak %.2f GB)%n", phase,
                u.riseBytes() / 1048576.0, u.peakBytes() / 1073741824.0)));
        return sb.toString();
    }
}
