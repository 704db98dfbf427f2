package org.unitpath.train;

import java.io.IOException;
import java.util.Arrays;
import org.unitpath.data.CycleLoader;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;

/**
 * Times whole pretraining iterations (G + S step, D_S, D_G, EMA) on the data a run would read,
 * without checkpoints, samples or quality signals. Loading is not timed: a run prefetches batches
 * in the background. Iterations with the lazy R1 penalty are timed apart, as they cost more.
 */
public final class PretrainBench {
    /**
     * Median milliseconds of a plain iteration and of one with R1 (NaN when R1 is off), and the
     * mean per iteration over an R1 interval; with the network sizes that explain them.
     */
    public record Timing(double plainMs, double r1Ms, double meanMs, int batch, long generatorParams, long segmenterParams,
            long discriminatorParams) {}

    private PretrainBench() {}

    public static Timing run(PretrainSettings st, int warmup, int iterations) throws IOException {
        Device device = Device.parse(st.device());
        Torch.seed(st.seed());
        Networks nets = new Networks(st, st.batchPerProcess(), device);
        CycleStep step = new CycleStep(nets, Distributed.single(device), device);
        step.learningRate(st.baseLr());
        boolean lazyR1 = st.styleGan() && st.r1Gamma() > 0;
        int interval = lazyR1 ? st.r1Interval() : 1;
        double[] plain = new double[iterations];
        double[] r1 = new double[lazyR1 && interval > 1 ? iterations : 0];
        try (CycleLoader loader = DataSetup.loader(st, 0, 1, st.seed())) {
            for (int i = 0; i < warmup + iterations; i++) {
                // iteration numbers pick the R1 schedule: multiples of the interval regularise
                long plainIt = interval > 1 ? (long) i * interval + 1 : i;
                double t = time(step, loader, plainIt, device);
                if (i >= warmup) {
                    plain[i - warmup] = t;
                }
                if (r1.length > 0) {
                    double tr = time(step, loader, (long) i * interval, device);
                    if (i >= warmup) {
                        r1[i - warmup] = tr;
                    }
                }
            }
        }
        double plainMs = median(plain);
        double r1Ms = r1.length > 0 ? median(r1) : (lazyR1 ? plainMs : Double.NaN);
        double mean = r1.length > 0 ? ((interval - 1) * plainMs + r1Ms) / interval : plainMs;
        long dParams = nets.dB.parameterCount() + nets.dA.parameterCount();
        return new Timing(plainMs, r1Ms, mean, st.batchPerProcess(), nets.g.parameterCount(), nets.s.parameterCount(), dParams);
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
