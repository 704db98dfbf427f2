package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.dist.Distributed;
import org.unitpath.dist.Launcher;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;

/** Gloo over loopback between child JVMs started by {@link Launcher}; see {@link DistributedWorker}. */
class DistributedTest {
    private static final double TOL = 1e-5;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws Exception {
        return (Map<String, Object>) PtFile.read(file);
    }

    private static float[] floats(Object tensor) {
        return Tensors.toFloats((Tensor) tensor);
    }

    @Test
    void collectivesAgreeAcrossTwoProcesses(@TempDir Path dir) throws Exception {
        int code = Launcher.run(2, DistributedWorker.class.getName(), List.of("collectives", dir.toString()));
        assertEquals(0, code, "worker exit code");
        for (int r = 0; r < 2; r++) {
            Map<String, Object> seen = read(dir.resolve("collectives-" + r + ".pt"));
            assertEquals((long) r, seen.get("rank"));
            assertEquals(2L, seen.get("world"));
            assertEquals(r == 0, seen.get("main"));
            // ranks held {1, 2, 0} and {2, 4, -1}; 2x2 of 0.0 and of 10.0 (float64)
            assertArrayEquals(new float[] {1.5f, 3f, -0.5f}, floats(seen.get("mean_a")), 1e-6f);
            assertArrayEquals(new float[] {5f, 5f, 5f, 5f}, floats(seen.get("mean_b")), 1e-6f);
            assertArrayEquals(new float[] {5f, 5f}, floats(seen.get("bcast0_c")));
            assertArrayEquals(new float[] {100f, 100f, 100f}, floats(seen.get("bcast0_d")));
            assertArrayEquals(new float[] {1f}, floats(seen.get("bcast1_e")));
            assertEquals(1.0, (Double) seen.get("metric_mean"), 1e-12);
            assertEquals(3L, seen.get("counter_sum"));
            // d(loss)/dp = {r+1, 10(r+1)} -> mean {1.5, 15}; q's gradient {4, 8, 12} exists on rank 1 only
            assertArrayEquals(new float[] {1.5f, 15f}, floats(seen.get("grad_p")), 1e-6f);
            assertArrayEquals(new float[] {2f, 4f, 6f}, floats(seen.get("grad_q")), 1e-6f);
            assertEquals("undefined", seen.get("grad_z"));
        }
        Map<String, Object> main = read(dir.resolve("collectives-0.pt"));
        assertEquals(Boolean.TRUE, main.get("marker_after_barrier"), "rank 0 left the barrier before rank 1 entered it");
        System.out.printf("allreduce of 10M floats between 2 local processes (Gloo): %.1f ms%n",
                (Double) main.get("allreduce_10M_ms"));
    }

    /**
     * The criterion: 2 processes, each on half of a fixed batch with averaged gradients,
     * end with the parameters of 1 process trained on the whole batch with the mean loss.
     */
    @Test
    void twoProcessesTrainLikeOneOnTheWholeBatch(@TempDir Path dir) throws Exception {
        int steps = 5;
        assertEquals(0, Launcher.run(2, DistributedWorker.class.getName(), List.of("train", dir.toString(), "" + steps)));
        Torch.setThreads(1);
        try (MemoryScope s = MemoryScope.open()) {
            Map<String, Tensor> reference = DistributedWorker.train(Distributed.single(), steps);
            Torch.seed(100);
            Map<String, Tensor> init = new DistributedWorker.TinyNet().namedParameters();
            Map<String, Tensor> rank0 = PtFile.readStateDict(dir.resolve("params-0.pt"));
            Map<String, Tensor> rank1 = PtFile.readStateDict(dir.resolve("params-1.pt"));
            assertEquals(reference.keySet(), rank0.keySet());
            for (String name : reference.keySet()) {
                assertEquals(0.0, Tensors.maxAbsDiff(rank0.get(name), rank1.get(name)), name + ": ranks diverged");
                double diff = Tensors.maxAbsDiff(reference.get(name), rank0.get(name));
                assertTrue(diff < TOL, name + ": 2 processes differ from 1 by " + diff);
                assertTrue(Tensors.maxAbsDiff(init.get(name), reference.get(name)) > 1e-3, name + " did not train");
            }
        }
    }

    /**
     * ADA's p over 2 processes with different D(real) signs: identical on both after every
     * update and equal to one controller seeing both processes' signs; rank 0's signs alone
     * would have moved it the other way. The pending sums (what a checkpoint saves) agree too,
     * and so does G's path-length mean.
     */
    @Test
    @SuppressWarnings("unchecked")
    void adaKeepsOnePOverTwoProcesses(@TempDir Path dir) throws Exception {
        assertEquals(0, Launcher.run(2, DistributedWorker.class.getName(), List.of("ada", dir.toString())));
        Map<String, Object> r0 = read(dir.resolve("ada-0.pt"));
        Map<String, Object> r1 = read(dir.resolve("ada-1.pt"));
        assertEquals(r0.get("p"), r1.get("p"), "p diverged between ranks");
        assertEquals(r0.get("pending"), r1.get("pending"), "the checkpointed ADA state differs between ranks");
        assertEquals(List.of(1.5, -2.0), r0.get("sum"));
        assertEquals((Double) r0.get("pl_mean"), (Double) r1.get("pl_mean"), 0.0, "pl_mean diverged between ranks");
        org.unitpath.gan.AdaController both = DistributedWorker.adaController();
        org.unitpath.gan.AdaController rank0Alone = DistributedWorker.adaController();
        List<Double> expected = new java.util.ArrayList<>();
        try (MemoryScope s = MemoryScope.open()) {
            for (int it = 0; it < DistributedWorker.RANK1_POSITIVE.length; it++) {
                both.observe(DistributedWorker.adaLogits(0, it));
                both.observe(DistributedWorker.adaLogits(1, it));
                both.step();
                expected.add(both.p());
                rank0Alone.observe(DistributedWorker.adaLogits(0, it));
                rank0Alone.step();
            }
        }
        List<Double> p = (List<Double>) r0.get("p");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), p.get(i), 1e-7, "p after iteration " + i);
        }
        assertEquals(0.5, p.get(p.size() - 1), 1e-6, "down, up, down, up");
        assertTrue(rank0Alone.p() > 0.55, "rank 0's own signs would have raised p: " + rank0Alone.p());
    }

    /**
     * The loop's phases over 2 processes (1 image each): every collective of the G+S step, path
     * length, D_S, D_G and its R1 phase pairs up, and ADA's pending signs in rank 0's checkpoint
     * cover both ranks: iteration 4 (after the update at 4 iterations) saw 1 logit per rank in
     * Dmain and 1 in Dreg, 4 in all (2 if each rank kept its own).
     */
    @Test
    @SuppressWarnings("unchecked")
    void pretrainingOverTwoProcessesSumsAdaSignsOverBoth(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        PretrainFixtures.prepareData(data);
        assertEquals(0, Launcher.run(2, DistributedWorker.class.getName(), List.of("pretrain", dir.toString(), data.toString())));
        Map<String, Object> ckpt = read(dir.resolve("run").resolve("model_0000005.pt"));
        List<Double> ada = (List<Double>) ckpt.get("ada_state");
        assertEquals(4.0, ada.get(1), "signs counted over both ranks");
        assertEquals(5.0, ada.get(2));
        assertTrue((Double) ckpt.get("pl_mean") > 0);
    }

    @Test
    void singleIsANoOp() {
        try (Distributed d = Distributed.single(); MemoryScope s = MemoryScope.open()) {
            assertEquals(0, d.rank());
            assertEquals(1, d.worldSize());
            assertTrue(d.isMain());
            Tensor t = Tensors.of(new float[] {1, 2}, 2);
            d.allReduceMean(List.of(t));
            d.broadcast(List.of(t), 0);
            d.barrier();
            assertArrayEquals(new float[] {1, 2}, Tensors.toFloats(t));
            assertEquals(2.5, d.allReduceMean(2.5));
            assertEquals(7L, d.allReduceSum(7));
            assertEquals(42L, d.seed(42));
        }
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "29500",
                "WORLD_SIZE", "2", "RANK", "1", "LOCAL_RANK", "1"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    private static String error(Map<String, String> env) {
        Exception e = assertThrows(RuntimeException.class,
                () -> Distributed.fromEnvironment(env, Device.CPU, Duration.ofSeconds(1)).close());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void missingOrInvalidVariablesAreNamed() {
        for (String name : List.of("MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK")) {
            String m = error(env(name, null));
            assertTrue(m.contains("environment variable " + name + " is not set"), m);
        }
        assertTrue(error(env("MASTER_PORT", "http")).contains("MASTER_PORT='http' is not an integer"));
        assertTrue(error(env("MASTER_PORT", "70000")).contains("MASTER_PORT=70000 is out of range"));
        assertTrue(error(env("WORLD_SIZE", "0")).contains("WORLD_SIZE=0 is out of range"));
        assertTrue(error(env("RANK", "2")).contains("RANK=2 is out of range 0..1"));
        assertTrue(error(env("LOCAL_RANK", "-1")).contains("LOCAL_RANK=-1 is out of range"));
        assertTrue(error(env("MASTER_ADDR", "no-such-host.invalid")).contains("MASTER_ADDR 'no-such-host.invalid'"));
    }

    @Test
    void unreachableMasterTimesOutWithAClearError() {
        long t0 = System.nanoTime();
        String m = error(env("MASTER_PORT", "" + 1));
        assertTrue(m.contains("cannot reach the rendezvous at MASTER_ADDR:MASTER_PORT = 127.0.0.1:1"), m);
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "gave up too late");
    }

    @Test
    void cudaDeviceWithoutCudaNamesTheProblem() {
        if (Torch.cudaAvailable()) {
            return;
        }
        Exception e = assertThrows(IllegalStateException.class, () -> Distributed.fromEnvironment(env(),
                new Device(Device.Kind.CUDA, 0), Duration.ofSeconds(1)).close());
        assertTrue(e.getMessage().contains("NCCL needs CUDA"), e.getMessage());
    }
}
