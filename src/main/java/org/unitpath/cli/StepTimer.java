package org.unitpath.cli;

import java.util.Arrays;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;

/** Times training steps over warm-up and measured iterations, each in its own memory scope. */
final class StepTimer {
    record Result(double medianMs, double minMs, double maxMs, int iterations) {
        double perSecond(int items) {
            return items * 1000.0 / medianMs;
        }
    }

    private StepTimer() {}

    /** Times a step without gradients (inference), each run in its own scope. */
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
        return summarise(ms);
    }

    /** Times forward ({@code loss} in an inner scope) plus backward of the scalar it returns. */
    static Result timeBackward(Supplier<Tensor> loss, int warmup, int iterations, Device device) {
        for (int i = 0; i < warmup; i++) {
            backward(loss);
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            sync(device);
            long t0 = System.nanoTime();
            backward(loss);
            sync(device);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return summarise(ms);
    }

    private static Result summarise(double[] ms) {
        int iterations = ms.length;
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = iterations % 2 == 1 ? sorted[iterations / 2]
                : (sorted[iterations / 2 - 1] + sorted[iterations / 2]) / 2;
        return new Result(median, sorted[0], sorted[iterations - 1], iterations);
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
