package org.unitpath.optim;

/** Detectron2's WarmupMultiStepLR: linear (or constant) warm-up from {@code warmupFactor}, then x gamma at each step. */
public record LrSchedule(double baseLr, int[] steps, double gamma, int warmupIters, double warmupFactor, boolean linearWarmup) {
    public LrSchedule {
        for (int i = 1; i < steps.length; i++) {
            if (steps[i] <= steps[i - 1]) {
                throw new IllegalArgumentException("SOLVER.STEPS must increase, got " + java.util.Arrays.toString(steps));
            }
        }
    }

    public double at(long iteration) {
        double warm = 1;
        if (iteration < warmupIters) {
            double alpha = (double) iteration / warmupIters;
            warm = linearWarmup ? warmupFactor * (1 - alpha) + alpha : warmupFactor;
        }
        int passed = 0;
        for (int s : steps) {
            if (iteration >= s) {
                passed++;
            }
        }
        return baseLr * warm * Math.pow(gamma, passed);
    }
}
