package org.unitpath.torch;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc's malloc, which libtorch's CPU allocator uses for every tensor. By default glibc raises
 * its mmap threshold to the largest block freed so far (up to 32 MB), after which tensors of
 * a few MB come from heaps that can fragment and keep freed memory. {@code -Dunitpath.malloc=mmap}
 * serves tensors of 1 MB and more by mmap, which returns them on free but costs a page fault per
 * page of every new tensor (element-wise ops of 2 MB tensors measured 4x slower), so glibc's
 * default stays the default. No-op off Linux/glibc.
 */
public final class NativeHeap {
    private static final Logger log = LoggerFactory.getLogger(NativeHeap.class);
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    /** Blocks at or above this size are mmapped and unmapped on free. */
    public static final int MMAP_THRESHOLD = 1 << 20;
    private static volatile boolean configured;

    interface C extends Library {
        int mallopt(int param, int value);

        int malloc_trim(long pad);
    }

    private NativeHeap() {}

    /** Sets glibc's fixed mmap and trim thresholds once per process where asked to; idempotent. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        C c = libc();
        if (c == null || !"mmap".equals(System.getProperty("unitpath.malloc", "default"))) {
            return;
        }
        if (c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1 || c.mallopt(M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD) != 1) {
            log.debug("mallopt refused the thresholds; glibc's defaults stay");
        }
    }

    /** Returns the free pages of every malloc heap to the system (malloc_trim(0)); false where unavailable. */
    public static boolean trim() {
        C c = libc();
        return c != null && c.malloc_trim(0) == 1;
    }

    private static C libc() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return Native.load("c", C.class);
        } catch (UnsatisfiedLinkError e) {
            log.debug("no glibc malloc controls: {}", e.getMessage());
            return null;
        }
    }
}
