package org.unitpath.train;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unitpath.data.CycleLoader;
import org.unitpath.dist.Distributed;
import org.unitpath.report.PhaseMemory;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;

/**
 * Times whole pretraining iterations (G + S step, D_S, D_G, EMA) on the data a run would read,
 * without checkpoints, samples or quality signals. Loading is not timed: a run prefetches batches
 * in the background. Iterations differ in cost by the phases they run (G step or not with
 * CRITIC_DISCRIMINATOR, G's lazy path-length phase, D_G's lazy R1 phase): each kind is timed
 * apart, and the mean weighs them by how often they occur (MRCNN_INTERVAL is not modelled).
 */
public final class PretrainBench {
    /** One kind of iteration: its name, the share of iterations of this kind, and its median milliseconds. */
    public record Kind(String name, double share, double medianMs) {}

    /**
     * The kinds of iteration ("plain" first when there is one) and the mean milliseconds per
     * iteration over a whole cycle of the schedules; with the network sizes that explain them.
     */
    public record Timing(List<Kind> kinds, double meanMs, int batch, long generatorParams, long segmenterParams,
            long discriminatorParams) {
        /** Median milliseconds of the commonest kind (the plain iteration with the default schedules). */
        public double plainMs() {
            return kinds.stream().filter(k -> k.name().equals(PLAIN)).findFirst().orElse(kinds.get(0)).medianMs();
        }
    }

    static final String PLAIN = "plain";

    private PretrainBench() {}

    /** {@code memory} is told each phase of the timed iterations (pass {@link PhaseMemory#off()} to skip that). */
    public static Timing run(PretrainSettings st, int warmup, int iterations, PhaseMemory memory) throws IOException {
        Device device = Device.parse(st.device());
        Torch.seed(st.seed());
        Networks nets = new Networks(st, st.batchPerProcess(), device);
        CycleStep step = new CycleStep(nets, Distributed.single(device), device);
        step.learningRate(st.baseLr());
        long cycle = cycleLength(st);
        // the first iteration of each kind in one cycle; adding multiples of the cycle keeps the kind
        Map<String, Long> first = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (long it = 0; it < cycle; it++) {
            String kind = kind(st, it);
            first.putIfAbsent(kind, it);
            count.merge(kind, 1, Integer::sum);
        }
        Map<String, double[]> ms = new LinkedHashMap<>();
        first.keySet().forEach(k -> ms.put(k, new double[iterations]));
        try (CycleLoader loader = DataSetup.loader(st, 0, 1, st.seed())) {
            for (int i = 0; i < warmup + iterations; i++) {
                if (i == warmup) {
                    step.profileMemory(memory);
                }
                for (Map.Entry<String, Long> e : first.entrySet()) {
                    double t = time(step, loader, e.getValue() + i * cycle, device);
                    if (i >= warmup) {
                        ms.get(e.getKey())[i - warmup] = t;
                    }
                }
            }
        }
        List<Kind> kinds = new ArrayList<>();
        double mean = 0;
        for (String k : first.keySet()) {
            double share = count.get(k) / (double) cycle;
            double median = median(ms.get(k));
            kinds.add(new Kind(k, share, median));
            mean += share * median;
        }
        kinds.sort((x, y) -> Boolean.compare(!x.name().equals(PLAIN), !y.name().equals(PLAIN)));
        long dParams = nets.dB.parameterCount() + nets.dA.parameterCount();
        return new Timing(kinds, mean, st.batchPerProcess(), nets.g.parameterCount(), nets.s.parameterCount(), dParams);
    }

    /** Iterations after which every schedule (G step, path length, R1) repeats. */
    static long cycleLength(PretrainSettings st) {
        long n = st.critic();
        if (st.pathLength()) {
            n = lcm(n, (long) st.critic() * st.plInterval());
        }
        if (st.lazyR1()) {
            n = lcm(n, st.r1Interval());
        }
        return n;
    }

    private static String kind(PretrainSettings st, long it) {
        List<String> parts = new ArrayList<>();
        if (!st.generatorStepAt(it)) {
            parts.add("no G step");
        } else if (st.pathLengthAt(it)) {
            parts.add("path length");
        }
        if (st.r1At(it)) {
            parts.add("R1");
        }
        return parts.isEmpty() ? PLAIN : "with " + String.join(" + ", parts);
    }

    private static long lcm(long a, long b) {
        return a / BigInteger.valueOf(a).gcd(BigInteger.valueOf(b)).longValue() * b;
    }

    private static double time(CycleStep step, CycleLoader loader, long iteration, Device device) throws IOException {
        var batch = loader.next();
        sync(device);
        long t0 = System.nanoTime();
        step.run(batch, iteration);
        step.afterStep(batch.size());
        sync(device);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void sync(Device device) {
        if (device.isCuda()) {
            org.bytedeco.pytorch.global.torch.cuda_synchronize();
        }
    }
}
