package org.unitpath.cli;

import java.util.Arrays;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;

/** Times a step over warm-up and measured iterations, each in its own memory scope. */
final class StepTimer {
    record Result(double medianMs, double minMs, double maxMs, int iterations) {
        double perSecond(int items) {
            return items * 1000.0 / medianMs;
        }
    }

    private StepTimer() {}

    static Result time(Runnable step, int warmup, int iterations, Device device) {
        for (int i = 0; i < warmup; i++) {
            try (MemoryScope s = MemoryScope.open()) {
                step.run();
            }
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            try (MemoryScope s = MemoryScope.open()) {
                sync(device);
                long t0 = System.nanoTime();
                step.run();
                sync(device);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = iterations % 2 == 1 ? sorted[iterations / 2]
                : (sorted[iterations / 2 - 1] + sorted[iterations / 2]) / 2;
        return new Result(median, sorted[0], sorted[iterations - 1], iterations);
    }

    private static void sync(Device device) {
        if (device.isCuda()) {
            org.bytedeco.pytorch.global.torch.cuda_synchronize();
        }
    }
}
