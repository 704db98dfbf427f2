package org.unitpath.torch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.unitpath.report.ProcessMemory;

/**
 * Freed tensors of 1 MB and more go back to the system even when smaller live tensors sit between
 * them, the pattern of a training step, where glibc's default (threshold raised by a large free)
 * would keep the holes resident.
 */
class NativeHeapTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void freedLargeTensorsLeaveTheResidentSet() {
        Assumptions.assumeTrue(ProcessMemory.rss() > 0, "needs /proc/self/status");
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
            long after = ProcessMemory.rss();
            assertTrue(held - after > 100 * MIB, "freeing 128 MB of tensors gave back only " + (held - after) / MIB + " MB");
        }
    }
}
