package org.unitpath.torch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/** Process-wide libtorch runtime: native loading, threads, seeds and determinism. */
public final class Torch {
    private static volatile boolean loaded;

    private Torch() {}

    /**
     * Loads libtorch. The native folder is extracted completely before the first library is
     * loaded: when libtorch.so is loaded before libtorch_cpu.so sits beside it, the dynamic
     * linker falls back to a system libtorch (e.g. Debian's python3-torch) and the JVM crashes.
     */
    public static synchronized void init() {
        if (loaded) {
            return;
        }
        NativeHeap.configure();
        String platform = Loader.getPlatform();
        for (String folder : new String[] {platform + "-gpu", platform}) {
            String resource = "/org/bytedeco/pytorch/" + folder + "/";
            if (Torch.class.getResource(resource) == null) {
                continue;
            }
            File[] dirs;
            try {
                dirs = Loader.cacheResources(resource);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the libtorch natives to the JavaCPP cache "
                        + "(set -Dorg.bytedeco.javacpp.cachedir to a writable folder): " + e.getMessage(), e);
            }
            if (folder.endsWith("-gpu")) {
                checkCudaLibraries(dirs);
            }
            break;
        }
        Loader.load(torch.class);
        // libtorch parallelises its own kernels; OpenBLAS threads on top oversubscribe the cores
        // (measured: ResNet-50 fwd+bwd 0.59 s -> 0.44 s on 2 cores)
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
        loaded = true;
    }

    /**
     * A GPU build needs the CUDA runtime, cuBLAS, cuDNN and NCCL of the machine. Loading the
     * bundled libtorch_cuda first turns their absence into a clear error; otherwise JavaCPP
     * falls back to any system libtorch and the JVM may crash.
     */
    private static void checkCudaLibraries(File[] dirs) {
        for (File dir : dirs) {
            File cuda = new File(dir, "libtorch_cuda.so");
            if (cuda.isFile()) {
                try {
                    System.load(cuda.getAbsolutePath());
                } catch (UnsatisfiedLinkError e) {
                    throw new IllegalStateException("this is a GPU build of unitpath (mvn -Pgpu), but the CUDA "
                            + "libraries it needs are missing: " + e.getMessage() + ". Install the CUDA 13 runtime, "
                            + "cuDNN 9 and NCCL, or rebuild without -Pgpu for the CPU", e);
                }
            }
        }
    }

    /** Sets the intra-op thread count; {@code n <= 0} keeps libtorch's default (one per core). */
    public static void setThreads(int n) {
        init();
        if (n > 0) {
            torch.set_num_threads(n);
        }
    }

    public static int threads() {
        init();
        return torch.get_num_threads();
    }

    /** Seeds libtorch's CPU and CUDA generators. */
    public static void seed(long seed) {
        init();
        torch.manual_seed(seed);
        if (cudaAvailable()) {
            torch.cuda_manual_seed_all(seed);
        }
    }

    /** Makes kernels deterministic where libtorch can (slower; errors on ops without one). */
    public static void deterministic(boolean on) {
        init();
        torch.globalContext().setDeterministicAlgorithms(on, false);
        torch.globalContext().setDeterministicCuDNN(on);
        torch.globalContext().setBenchmarkCuDNN(!on);
    }

    public static boolean cudaAvailable() {
        init();
        return torch.cuda_is_available();
    }

    public static int cudaDeviceCount() {
        init();
        return torch.cuda_is_available() ? torch.cuda_device_count() : 0;
    }

    /** libtorch version, read from its build configuration. */
    public static String version() {
        String config = buildConfig();
        int i = config.indexOf("TORCH_VERSION=");
        if (i < 0) {
            return "unknown";
        }
        int end = config.indexOf(',', i);
        return config.substring(i + "TORCH_VERSION=".length(), end < 0 ? config.length() : end).trim();
    }

    /** The widest SIMD instruction set libtorch's kernels use on this CPU (e.g. AVX512). */
    public static String cpuCapability() {
        init();
        return torch.get_cpu_capability().getString();
    }

    public static String buildConfig() {
        init();
        return torch.show_config().getString();
    }
}
