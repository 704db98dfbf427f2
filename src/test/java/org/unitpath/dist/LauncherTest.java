package org.unitpath.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.train.DistributedWorker;

class LauncherTest {
    @Test
    void aFailingWorkerStopsTheOthersAndFailsTheRun(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        int code = Launcher.run(2, DistributedWorker.class.getName(), List.of("exit7", dir.toString()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(7, code);
        // rank 0 sleeps for 10 minutes unless stopped
        assertTrue(seconds < 60, "took " + seconds + " s");
        long pid = Long.parseLong(Files.readString(dir.resolve("pid-0")).trim());
        Optional<ProcessHandle> rank0 = ProcessHandle.of(pid);
        assertFalse(rank0.isPresent() && rank0.get().isAlive(), "rank 0 still running");
    }

    /** Ctrl-C or a scheduler's SIGTERM to the launcher must not leave workers running. */
    @Test
    void terminatingTheLauncherStopsItsWorkers(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process launcher = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DistributedWorker.class.getName(), "launch", dir.toString()).inheritIO().start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!(Files.exists(dir.resolve("pid-0")) && Files.exists(dir.resolve("pid-1")))) {
                assertTrue(System.nanoTime() < deadline && launcher.isAlive(), "workers did not start");
                Thread.sleep(20);
            }
            launcher.destroy();
            assertTrue(launcher.waitFor(Launcher.GRACE_SECONDS + 20, TimeUnit.SECONDS), "launcher did not exit");
            for (int rank = 0; rank < 2; rank++) {
                long pid = Long.parseLong(Files.readString(dir.resolve("pid-" + rank)).trim());
                Optional<ProcessHandle> worker = ProcessHandle.of(pid);
                assertFalse(worker.isPresent() && worker.get().isAlive(), "worker " + rank + " still running");
            }
        } finally {
            launcher.destroyForcibly();
        }
    }

    @Test
    void rejectsNoWorkers() {
        assertThrows(IllegalArgumentException.class, () -> Launcher.run(0, DistributedWorker.class.getName(), List.of()));
    }
}
