package org.unitpath.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts N worker processes on this machine, as {@code torchrun --nproc-per-node N} does: the
 * same Java binary, class path and JVM options, the given main class and arguments, and the
 * c10d rendezvous variables (MASTER_ADDR=127.0.0.1, a free MASTER_PORT, WORLD_SIZE, RANK,
 * LOCAL_RANK) in each child's environment. Rank 0's output passes through unchanged, the
 * others' lines are prefixed with {@code [rank i]}. When one worker fails the others are
 * stopped, since the survivors would otherwise block in their next collective until it times out.
 */
public final class Launcher {
    /** How long a stopped worker gets to exit after SIGTERM before it is killed. */
    static final long GRACE_SECONDS = 10;

    private Launcher() {}

    /**
     * Runs {@code nproc} workers of {@code mainClass} with {@code args} and waits for them.
     * Returns 0 when all succeed, else the exit code of the first that failed (non-zero).
     */
    public static int run(int nproc, String mainClass, List<String> args) {
        if (nproc < 1) {
            throw new IllegalArgumentException("--nproc must be at least 1, got " + nproc);
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        int port = freePort();

        List<Process> workers = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        Thread hook = new Thread(() -> stopAll(workers), "unitpath-launcher-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (int rank = 0; rank < nproc; rank++) {
                ProcessBuilder pb = new ProcessBuilder(command);
                Map<String, String> env = pb.environment();
                env.put("MASTER_ADDR", "127.0.0.1");
                env.put("MASTER_PORT", Integer.toString(port));
                env.put("WORLD_SIZE", Integer.toString(nproc));
                env.put("RANK", Integer.toString(rank));
                env.put("LOCAL_RANK", Integer.toString(rank));
                pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    System.err.println("unitpath: cannot start worker " + rank + ": " + e.getMessage());
                    stopAll(workers);
                    return 1;
                }
                synchronized (workers) {
                    workers.add(p);
                }
                if (rank == 0) {
                    pumps.add(copy(p.getInputStream(), System.out));
                    pumps.add(copy(p.getErrorStream(), System.err));
                } else {
                    String prefix = "[rank " + rank + "] ";
                    pumps.add(pump(p.getInputStream(), System.out, prefix));
                    pumps.add(pump(p.getErrorStream(), System.err, prefix));
                }
            }
            int code = waitForAll(workers);
            for (Thread t : pumps) {
                // bounded: a grandchild process could hold a pipe open after its worker exited
                t.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
            }
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll(workers);
            return 130;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it stops the workers itself
            }
        }
    }

    /** Waits until all workers have exited or one has failed; in the latter case stops the rest. */
    private static int waitForAll(List<Process> workers) throws InterruptedException {
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        for (Process p : workers) {
            exits.add(p.onExit());
        }
        int remaining = workers.size();
        boolean[] done = new boolean[workers.size()];
        while (remaining > 0) {
            CompletableFuture<Object> any = CompletableFuture.anyOf(pending(exits, done));
            try {
                any.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            for (int rank = 0; rank < workers.size(); rank++) {
                if (done[rank] || workers.get(rank).isAlive()) {
                    continue;
                }
                done[rank] = true;
                remaining--;
                int code = workers.get(rank).exitValue();
                if (code != 0) {
                    int others = remaining;
                    System.err.println("unitpath: worker rank " + rank + " exited with code " + code
                            + (others > 0 ? "; stopping the other " + others + " worker(s)" : ""));
                    stopAll(workers);
                    return code;
                }
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<Process>[] pending(List<CompletableFuture<Process>> exits, boolean[] done) {
        List<CompletableFuture<Process>> out = new ArrayList<>();
        for (int i = 0; i < exits.size(); i++) {
            if (!done[i]) {
                out.add(exits.get(i));
            }
        }
        return out.toArray(new CompletableFuture[0]);
    }

    /** SIGTERM to every live worker (their shutdown hooks run), then SIGKILL to those still alive after the grace period. */
    static void stopAll(List<Process> workers) {
        List<Process> live = new ArrayList<>();
        synchronized (workers) {
            for (Process p : workers) {
                if (p.isAlive()) {
                    live.add(p);
                }
            }
        }
        for (Process p : live) {
            p.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        for (Process p : live) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Rank 0's output, copied as it comes rather than by line, so that progress lines ending in
     * a carriage return show up at once. It goes through this JVM's streams instead of being
     * inherited, so whatever captures them (a log file, a test harness) sees it too.
     */
    private static Thread copy(InputStream in, PrintStream out) {
        return daemon(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the worker was killed and its pipe closed: nothing more to forward
            }
        }, "unitpath-launcher-rank-0");
    }

    private static Thread pump(InputStream in, PrintStream out, String prefix) {
        return daemon(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    // one println per line keeps lines of different ranks from interleaving mid-line
                    out.println(prefix + line);
                }
            } catch (IOException e) {
                // the worker was killed and its pipe closed: nothing more to forward
            }
        }, "unitpath-launcher-" + prefix.trim());
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** This JVM's options, less a debugger agent, whose fixed port the workers could not all bind. */
    private static List<String> jvmOptions() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")) {
                out.add(a);
            }
        }
        return out;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1 for the workers' rendezvous: "
                    + e.getMessage(), e);
        }
    }
}
