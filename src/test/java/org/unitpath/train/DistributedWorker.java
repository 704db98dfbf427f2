package org.unitpath.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.dist.Distributed;
import org.unitpath.dist.Launcher;
import org.unitpath.gan.AdaController;
import org.unitpath.gan.AugmentPipe;
import org.unitpath.gan.PathLengthRegularizer;
import org.unitpath.nn.Linear;
import org.unitpath.optim.Adam;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;

/**
 * The child process of the distributed tests, started by {@link Launcher}: joins the Gloo group
 * from the environment, runs one scenario and writes what it saw to files the test reads.
 */
public final class DistributedWorker {
    /** Samples of the fixed batch; each of 2 ranks takes half. */
    static final int BATCH = 8;

    private DistributedWorker() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path out = Path.of(args[1]);
        switch (mode) {
            case "exit7" -> exit7(out);
            case "sleep" -> {
                writePid(out, Integer.parseInt(System.getenv("RANK")));
                Thread.sleep(600_000);
            }
            case "launch" -> System.exit(Launcher.run(2, DistributedWorker.class.getName(), List.of("sleep", args[1])));
            default -> runGroup(mode, out, args);
        }
    }

    private static void runGroup(String mode, Path out, String[] args) throws Exception {
        Torch.setThreads(1);
        try (Distributed dist = Distributed.fromEnvironment()) {
            switch (mode) {
                case "collectives" -> collectives(dist, out);
                case "train" -> PtFile.write(out.resolve("params-" + dist.rank() + ".pt"),
                        train(dist, Integer.parseInt(args[2])));
                case "ada" -> PtFile.write(out.resolve("ada-" + dist.rank() + ".pt"), ada(dist));
                case "pretrain" -> pretrain(dist, out, Path.of(args[2]));
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
    }

    /** Rank 1 fails once rank 0 is certainly running; rank 0 would sleep far longer than the test waits. */
    private static void exit7(Path out) throws Exception {
        int rank = Integer.parseInt(System.getenv("RANK"));
        Path pidFile = out.resolve("pid-0");
        if (rank == 0) {
            writePid(out, 0);
            Thread.sleep(600_000);
            return;
        }
        while (!Files.exists(pidFile)) {
            Thread.sleep(20);
        }
        System.exit(7);
    }

    /** Atomically, so that a test polling for the file never reads it half written. */
    private static void writePid(Path out, int rank) throws Exception {
        Path tmp = out.resolve("pid-" + rank + ".tmp");
        Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
        Files.move(tmp, out.resolve("pid-" + rank), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void collectives(Distributed dist, Path out) throws Exception {
        int r = dist.rank();
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("rank", (long) r);
        seen.put("world", (long) dist.worldSize());
        seen.put("main", dist.isMain());

        Tensor a = MemoryScope.keep(Tensors.of(new float[] {r + 1, 2 * (r + 1), -r}, 3));
        Tensor b = MemoryScope.keep(torch.full(new long[] {2, 2}, F.scalar(10.0 * r), new TensorOptions(ScalarType.Double)));
        dist.allReduceMean(List.of(a, b));
        seen.put("mean_a", a);
        seen.put("mean_b", b);

        Tensor c = MemoryScope.keep(Tensors.of(new float[] {r + 5, r + 5}, 2));
        Tensor d = MemoryScope.keep(torch.full(new long[] {3}, F.scalar((long) (100 + r)), new TensorOptions(ScalarType.Long)));
        dist.broadcast(List.of(c, d), 0);
        seen.put("bcast0_c", c);
        seen.put("bcast0_d", d);
        Tensor e = MemoryScope.keep(Tensors.of(new float[] {r}, 1));
        dist.broadcast(List.of(e), 1);
        seen.put("bcast1_e", e);

        seen.put("metric_mean", dist.allReduceMean(r + 0.5));
        seen.put("counter_sum", dist.allReduceSum(r + 1L));

        // p: gradient on every rank; q: only on rank 1 (like a head no sample of rank 0 used); z: on none
        Tensor p = MemoryScope.keep(Tensors.zeros(2).requires_grad_(true));
        Tensor q = MemoryScope.keep(Tensors.zeros(3).requires_grad_(true));
        Tensor z = MemoryScope.keep(Tensors.zeros(1).requires_grad_(true));
        try (MemoryScope s = MemoryScope.open()) {
            Tensor loss = p.mul(Tensors.of(new float[] {r + 1, 10 * (r + 1)}, 2)).sum();
            if (r == 1) {
                loss = loss.add(q.mul(Tensors.of(new float[] {4, 8, 12}, 3)).sum());
            }
            loss.backward();
        }
        dist.averageGradients(List.of(p, q, z));
        seen.put("grad_p", p.grad());
        seen.put("grad_q", q.grad().defined() ? q.grad() : "undefined");
        seen.put("grad_z", z.grad().defined() ? z.grad() : "undefined");

        // rank 1 arrives late; rank 0 must not leave the barrier before rank 1's marker exists
        Path marker = out.resolve("late-1");
        if (r == 1) {
            Thread.sleep(500);
            Files.writeString(marker, "x");
        }
        dist.barrier();
        if (r == 0) {
            seen.put("marker_after_barrier", Files.exists(marker));
        }

        seen.put("allreduce_10M_ms", allReduceMillis(dist, 10_000_000, 5));
        PtFile.write(out.resolve("collectives-" + r + ".pt"), seen);
    }

    /** Median wall time of one allreduce of {@code n} floats, after a warm-up. */
    private static double allReduceMillis(Distributed dist, int n, int reps) {
        try (MemoryScope s = MemoryScope.open()) {
            List<Tensor> buf = List.of(Tensors.ones(n));
            dist.allReduceMean(buf);
            double[] ms = new double[reps];
            for (int i = 0; i < reps; i++) {
                dist.barrier();
                long t0 = System.nanoTime();
                dist.allReduceMean(buf);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            return ms[reps / 2];
        }
    }

    /**
     * Rank 1's D(real) signs per iteration (out of 4 logits, +1 or -1); rank 0's are all +1.
     * Per interval of 2 the mean over both ranks is 0, 1, 0.25, 0.75: down, up, down, up.
     */
    static final int[] RANK1_POSITIVE = {0, 0, 4, 4, 1, 1, 3, 3};

    /** Signs of D(real) on rank {@code rank} at {@code iteration}, as logits of +-1. */
    static Tensor adaLogits(int rank, int iteration) {
        int positive = rank == 0 ? 4 : RANK1_POSITIVE[iteration];
        float[] v = new float[4];
        for (int i = 0; i < 4; i++) {
            v[i] = i < positive ? 1 : -1;
        }
        return Tensors.of(v, 4, 1);
    }

    /** A controller stepping p by 0.016 every 2 iterations (batch 8 over 2 ranks, ADA kimg 1) from p = 0.5. */
    static AdaController adaController() {
        AdaController ada = new AdaController(AdaController.Mode.ADA, AugmentPipe.bgc(0), 8, 0.6, 2, 1);
        ada.pipe().setP(0.5);
        return ada;
    }

    /** ADA's p and pending state after each iteration, each rank observing its own signs, summed over ranks. */
    private static Map<String, Object> ada(Distributed dist) {
        AdaController ada = adaController();
        List<Double> p = new ArrayList<>();
        List<Double> pending = new ArrayList<>();
        for (int it = 0; it < RANK1_POSITIVE.length; it++) {
            try (MemoryScope s = MemoryScope.open()) {
                ada.observe(adaLogits(dist.rank(), it));
            }
            ada.step(dist::allReduceSum);
            p.add(ada.p());
            pending.add(ada.state()[0]);
            pending.add(ada.state()[1]);
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("p", p);
        seen.put("pending", pending);
        seen.put("sum", Arrays.stream(dist.allReduceSum(new double[] {dist.rank() + 0.25, -1})).boxed().toList());
        // ranks with different path lengths share one running mean
        PathLengthRegularizer pl = new PathLengthRegularizer(2);
        try (MemoryScope s = MemoryScope.open()) {
            Torch.seed(dist.seed(3));
            Tensor ws = Tensors.randn(2, 3, 4).mul(F.scalar(dist.rank() + 1.0)).requires_grad_(true);
            pl.loss(ws.reshape(2, 3, 2, 2).mul(F.scalar(2.0)), ws, 4, dist::allReduceMean);
        }
        seen.put("pl_mean", pl.mean());
        return seen;
    }

    /** The tiny pretraining run for 5 iterations on this rank's share of a batch of 2, written to {@code out}/run. */
    private static void pretrain(Distributed dist, Path out, Path data) throws Exception {
        List<String> o = PretrainFixtures.tinyOverrides(data, out.resolve("run"));
        o.addAll(List.of("SOLVER.MAX_ITER", "5", "SOLVER.STEPS", "[3, 4]", "SOLVER.CHECKPOINT_PERIOD", "100",
                "TEST.EVAL_PERIOD", "1000", "TEST.SAMPLE_PERIOD", "1000"));
        var cfg = PretrainFixtures.quickstart(o);
        new Pretrainer(SettingsFromConfig.resolve(cfg, dist.worldSize()), dist, cfg.toYaml()).run(false);
    }

    /** Two linear layers and an auxiliary head that only the second half of the batch uses. */
    static final class TinyNet extends Module {
        final Linear fc1 = child("fc1", new Linear(6, 16));
        final Linear fc2 = child("fc2", new Linear(16, 3));
        final Linear aux = child("aux", new Linear(6, 1));

        /**
         * Mean loss over rows [lo, hi) of the full batch; rows of the second half add the
         * auxiliary term weighted by their share of the sub-batch, so that the mean of the
         * ranks' losses equals the loss of the whole batch.
         */
        Tensor loss(Tensor x, Tensor y, int lo, int hi) {
            Tensor xs = x.narrow(0, lo, hi - lo);
            Tensor mse = fc2.forward(fc1.forward(xs).tanh()).sub(y.narrow(0, lo, hi - lo)).square().mean();
            int from = Math.max(lo, BATCH / 2);
            if (hi <= from) {
                return mse;
            }
            Tensor t = aux.forward(x.narrow(0, from, hi - from)).square().mean();
            return mse.add(t.mul(F.scalar((hi - from) / (double) (hi - lo))));
        }
    }

    /**
     * Trains {@link TinyNet} for {@code steps} Adam steps on a fixed batch, each rank on its
     * share of the rows with averaged gradients. Ranks start from different random weights, so
     * agreement also needs the broadcast of rank 0's.
     */
    static Map<String, Tensor> train(Distributed dist, int steps) {
        Torch.seed(7);
        Tensor x = MemoryScope.keep(Tensors.randn(BATCH, 6));
        Tensor y = MemoryScope.keep(Tensors.randn(BATCH, 3));
        Torch.seed(dist.seed(100));
        TinyNet net = new TinyNet();
        List<Tensor> params = new ArrayList<>(net.parameters());
        dist.broadcast(params, 0);
        Adam adam = Adam.of(params, 1e-2, 0.9, 0.999);
        int share = BATCH / dist.worldSize();
        int lo = dist.rank() * share;
        for (int step = 0; step < steps; step++) {
            try (MemoryScope s = MemoryScope.open()) {
                adam.zeroGrad();
                net.loss(x, y, lo, lo + share).backward();
                dist.averageGradients(params);
                adam.step();
            }
        }
        return net.namedParameters();
    }
}
