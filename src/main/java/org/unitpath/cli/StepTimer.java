package org.unitpath.cli;

import java.util.Arrays;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.report.ProcessMemory;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;

/**
 * Times training steps over warm-up and measured iterations, each in its own memory scope, and
 * measures how far each step raises the process's resident memory.
 */
final class StepTimer {
    /**
     * {@code riseBytes}: the most RSS rose above its level at a step's start; {@code peakBytes}: the
     * highest RSS during the timed steps (both -1 where unknown).
     */
    record Result(double medianMs, double minMs, double maxMs, int iterations, long riseBytes, long peakBytes) {
        double perSecond(int items) {
            return items * 1000.0 / medianMs;
        }

        /** "median ... ms (min, max, n iters)  x images/s  +y MB RSS", the line every bench prints. */
        String line(int images) {
            String memory = riseBytes < 0 ? "" : String.format("  +%.0f MB RSS (peak %.2f GB)", riseBytes / 1048576.0,
                    peakBytes / 1073741824.0);
            return String.format("median %8.1f ms (min %.1f, max %.1f, %d iters)  %7.2f images/s%s", medianMs, minMs, maxMs,
                    iterations, perSecond(images), memory);
        }
    }

    private StepTimer() {}

    /** Times a step without gradients (inference), each run in its own scope. */
    static Result time(Runnable step, int warmup, int iterations, Device device) {
        return measure(() -> {
            try (MemoryScope s = MemoryScope.open()) {
                step.run();
            }
        }, warmup, iterations, device);
    }

    /** Times forward ({@code loss} in an inner scope) plus backward of the scalar it returns. */
    static Result timeBackward(Supplier<Tensor> loss, int warmup, int iterations, Device device) {
        return measure(() -> backward(loss), warmup, iterations, device);
    }

    private static Result measure(Runnable step, int warmup, int iterations, Device device) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double[] ms = new double[iterations];
        long rise = -1;
        long peak = -1;
        for (int i = 0; i < iterations; i++) {
            long[] t = new long[2];
            long rose = ProcessMemory.riseDuring(() -> {
                sync(device);
                t[0] = System.nanoTime();
                step.run();
                sync(device);
                t[1] = System.nanoTime();
            });
            ms[i] = (t[1] - t[0]) / 1e6;
            rise = Math.max(rise, rose);
            peak = Math.max(peak, ProcessMemory.peak());
        }
        return summarise(ms, rise, peak);
    }

    private static Result summarise(double[] ms, long riseBytes, long peakBytes) {
        int iterations = ms.length;
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = iterations % 2 == 1 ? sorted[iterations / 2]
                : (sorted[iterations / 2 - 1] + sorted[iterations / 2]) / 2;
        return new Result(median, sorted[0], sorted[iterations - 1], iterations, riseBytes, peakBytes);
    }

    private static void backward(Supplier<Tensor> loss) {
        try (MemoryScope step = MemoryScope.open()) {
            Tensor l;
            try (MemoryScope forward = MemoryScope.open()) {
                l = forward.moveOut(loss.get());
            }
            l.backward();
        }
    }

    private static void sync(Device device) {
        if (device.isCuda()) {
            org.bytedeco.pytorch.global.torch.cuda_synchronize();
        }
    }
}
