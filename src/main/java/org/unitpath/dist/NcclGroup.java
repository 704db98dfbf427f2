package org.unitpath.dist;

import java.time.Duration;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.global.torch_cuda;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

/**
 * The NCCL process group, in a class of its own so that CPU builds, which lack the CUDA and
 * NCCL natives (and the org.bytedeco.cuda classes the NCCL preset inherits), never resolve it.
 */
final class NcclGroup {
    private NcclGroup() {}

    static Backend create(Store store, int rank, int world, int gpu, Duration timeout) {
        try {
            // one process per GPU: without this, NCCL and cuBLAS open a context on GPU 0 in every process
            torch_cuda.set_device((byte) gpu);
            ProcessGroupNCCL.Options o = ProcessGroupNCCL.Options.create();
            o.timeout(new Milliseconds(timeout.toMillis()));
            return new ProcessGroupNCCL(store, rank, world, o);
        } catch (LinkageError e) {
            throw new IllegalStateException("NCCL is not available in this build of libtorch (" + e + "); build "
                    + "with -Pgpu and install NCCL, or use --device cpu to train with Gloo", e);
        }
    }

    /** Without shutdown() first, destroying the group waits for (or warns about) NCCL's watchdog threads. */
    static void shutdown(Backend group) {
        ((ProcessGroupNCCL) group).shutdown();
    }
}
