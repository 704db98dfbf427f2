package org.unitpath.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.unitpath.report.ProcessMemory;

/**
 * With {@code -Dunitpath.malloc=mmap}, freed tensors of 1 MB and more go back to the system even when smaller live tensors sit between
 * them, the pattern of a training step, where glibc's default (threshold raised by a large free)
 * would keep the holes resident. Runs in a fresh JVM: the test JVM's earlier tests leave many
 * unreachable tensors mapped, and near the kernel's mapping limit glibc falls back to its heaps.
 */
public class NativeHeapTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void freedLargeTensorsLeaveTheResidentSet() throws Exception {
        Assumptions.assumeTrue(ProcessMemory.rss() > 0, "needs /proc/self/status");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dunitpath.malloc=mmap", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-cp", System.getProperty("java.class.path"), NativeHeapTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        String line = out.lines().filter(l -> l.startsWith("returned MB ")).findFirst().orElseThrow(() -> new AssertionError(out));
        long returned = Long.parseLong(line.substring("returned MB ".length()).trim());
        assertTrue(returned > 100, "freeing 128 MB of tensors gave back only " + returned + " MB");
    }

    /** The measurement, in the fresh JVM: prints "returned MB N". */
    public static void main(String[] args) {
        Torch.init();
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope s = MemoryScope.open()) {
                Tensors.ones(8 * MIB); // 32 MB: raises glibc's dynamic mmap threshold when freed
            }
            MemoryScope s = MemoryScope.open();
            for (int i = 0; i < 64; i++) {
                Tensors.ones(MIB / 2); // 2 MB each, pages touched
                s.moveOut(Tensors.ones(16 * 1024)); // 64 KB kept alive between them
            }
            long held = ProcessMemory.rss();
            s.close();
            System.out.println("returned MB " + (held - ProcessMemory.rss()) / MIB);
        }
    }
}
