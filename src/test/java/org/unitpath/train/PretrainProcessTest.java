package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.report.MetricsLog;
import org.unitpath.torch.pt.PtFile;

/** `unitpath pretrain` as a separate process: SIGTERM ends it with a checkpoint; kill -9 never corrupts one. */
class PretrainProcessTest {
    @TempDir
    static Path root;
    static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = root.resolve("data");
        PretrainFixtures.prepareData(data);
    }

    private static Process start(Path out, String period) throws Exception {
        List<String> o = PretrainFixtures.tinyOverrides(data, out);
        o.addAll(List.of("SOLVER.MAX_ITER", "60", "SOLVER.STEPS", "[40, 50]", "SOLVER.CHECKPOINT_PERIOD", period,
                "SOLVER.CHECKPOINTS_KEPT", "100", "TEST.EVAL_PERIOD", "1000", "TEST.SAMPLE_PERIOD", "1000"));
        Config cfg = PretrainFixtures.quickstart(o);
        Path file = root.resolve(out.getFileName() + ".yaml");
        Files.writeString(file, cfg.toYaml());
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dorg.bytedeco.javacpp.maxBytes=0", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-cp", System.getProperty("java.class.path"), "org.unitpath.cli.Main", "--threads", "1", "pretrain", file.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve(out.getFileName() + ".log").toFile()).start();
    }

    private static void awaitRecords(Path out, int n, Process p) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            Path log = out.resolve("metrics.jsonl");
            if (Files.exists(log) && MetricsLog.read(log).size() >= n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("training did not log " + n + " iterations: " + Files.readString(root.resolve(out.getFileName() + ".log")));
    }

    @Test
    void sigtermWritesACheckpointAtTheCurrentIterationAndExits() throws Exception {
        Path out = root.resolve("term");
        Process p = start(out, "1000");
        awaitRecords(out, 3, p);
        p.destroy();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run stops after SIGTERM");
        List<Map<String, Double>> records = MetricsLog.read(out);
        long last = records.get(records.size() - 1).get("iter").longValue();
        Checkpoints ck = new Checkpoints(out, 100);
        assertEquals(last, Checkpoints.iterationOf(ck.latest().orElseThrow()), "checkpoint of the last finished iteration");
        Map<?, ?> state = (Map<?, ?>) PtFile.read(ck.latest().get());
        assertEquals(last, ((Number) state.get("iteration")).longValue());
        assertTrue(Files.readString(root.resolve("term.log")).contains("continue with --resume"));
    }

    @Test
    void killMinusNineDuringCheckpointWritesLeavesEveryCheckpointReadable() throws Exception {
        Path out = root.resolve("kill");
        Process p = start(out, "1");
        awaitRecords(out, 4, p);
        p.destroyForcibly();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<Path> all = new Checkpoints(out, 100).list();
        assertFalse(all.isEmpty());
        for (Path c : all) {
            assertTrue(PtFile.read(c) instanceof Map<?, ?>, c + " is a complete checkpoint");
        }
    }
}
