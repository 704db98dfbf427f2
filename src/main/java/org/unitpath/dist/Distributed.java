package org.unitpath.dist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.Device;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * Data-parallel training across processes on libtorch's c10d layer: a {@code TCPStore} for the
 * rendezvous and {@code ProcessGroupGloo} (CPU) or {@code ProcessGroupNCCL} (CUDA) for the
 * collectives. Every rank must make the same calls in the same order with tensors of the same
 * shapes, as in PyTorch; collectives block until all ranks have joined.
 *
 * <pre>{@code
 * try (Distributed dist = Distributed.launched() ? Distributed.fromEnvironment(device) : Distributed.single(device)) {
 *     Torch.seed(dist.seed(SEED));                      // SEED + rank, as Detectron2
 *     model.to(dist.device());
 *     dist.broadcast(new ArrayList<>(model.stateDict().values()), 0);   // everyone starts from rank 0's weights
 *     // loader: new CycleLoader(..., dist.rank(), dist.worldSize())
 *     for (...) {
 *         try (MemoryScope step = MemoryScope.open()) {
 *             adam.zeroGrad();
 *             loss.backward();
 *             dist.averageGradients(model.trainableParameters());
 *             adam.step();
 *             double logged = dist.allReduceMean(loss.item_double());
 *         }
 *         if (dist.isMain()) { ... checkpoints, logs ... }
 *     }
 * }
 * }</pre>
 */
public final class Distributed implements AutoCloseable {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMinutes(5);
    /** How long a collective may wait for a slow rank (PyTorch's default for Gloo and NCCL). */
    public static final Duration COLLECTIVE_TIMEOUT = Duration.ofMinutes(30);

    private final int rank;
    private final int world;
    private final int localRank;
    private final Device device;
    private final Backend group;
    private final FlatBuffers buffers = new FlatBuffers();
    private boolean closed;

    private Distributed(int rank, int world, int localRank, Device device, Backend group) {
        this.rank = rank;
        this.world = world;
        this.localRank = localRank;
        this.device = device;
        this.group = group;
    }

    /** One process, no communication: every collective returns its input. */
    public static Distributed single() {
        return single(Device.CPU);
    }

    public static Distributed single(Device device) {
        return new Distributed(0, 1, 0, device, null);
    }

    /** Whether this process was started as one of several workers (WORLD_SIZE is set). */
    public static boolean launched() {
        return System.getenv("WORLD_SIZE") != null;
    }

    /** Joins the process group described by the environment, on the CPU (Gloo). */
    public static Distributed fromEnvironment() {
        return fromEnvironment(Device.CPU);
    }

    /**
     * Joins the process group described by MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK and
     * LOCAL_RANK: Gloo when {@code device} is the CPU; NCCL when it is a CUDA device, each
     * process then taking GPU {@code LOCAL_RANK} (see {@link #device()}).
     */
    public static Distributed fromEnvironment(Device device) {
        return fromEnvironment(System.getenv(), device, DEFAULT_CONNECT_TIMEOUT);
    }

    public static Distributed fromEnvironment(Map<String, String> env, Device device, Duration connectTimeout) {
        return join(Rendezvous.fromEnvironment(env), device, connectTimeout);
    }

    public static Distributed join(Rendezvous at, Device device, Duration connectTimeout) {
        Torch.init();
        Device own = device.isCuda() ? cudaDevice(at.localRank()) : Device.CPU;
        Store store = connect(at, connectTimeout);
        Backend group;
        try {
            group = own.isCuda() ? NcclGroup.create(store, at.rank(), at.worldSize(), own.index(), COLLECTIVE_TIMEOUT)
                    : gloo(store, at.rank(), at.worldSize(), at.loopback(), at.glooInterfaces());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot set up the " + (own.isCuda() ? "NCCL" : "Gloo") + " process group ("
                    + at + "): " + firstLine(e), e);
        }
        // the group now owns the store through an intrusive pointer (the JavaCPP adapter took it
        // over from the plain allocation): neither an enclosing scope nor the GC may delete it too
        store.retainReference();
        store.deallocate(false);
        // and the group must outlive any scope open here: close() frees it
        return new Distributed(at.rank(), at.worldSize(), at.localRank(), own, MemoryScope.keep(group));
    }

    private static Device cudaDevice(int localRank) {
        int gpus = Torch.cudaDeviceCount();
        if (gpus == 0) {
            throw new IllegalStateException("NCCL needs CUDA, which is not usable here (CPU build of libtorch, or no "
                    + "NVIDIA driver/GPU); use --device cpu to train with Gloo, or build with -Pgpu");
        }
        if (localRank >= gpus) {
            throw new IllegalStateException("LOCAL_RANK=" + localRank + " but this machine has " + gpus
                    + " GPU(s): start at most one process per GPU");
        }
        return new Device(Device.Kind.CUDA, localRank);
    }

    private static Store connect(Rendezvous at, Duration timeout) {
        TCPStoreOptions o = new TCPStoreOptions();
        o.port((short) at.masterPort());
        o.isServer(at.rank() == 0);
        o.numWorkers(new SizeTPointer(1).put(at.worldSize()));
        o.waitWorkers(true);
        o.timeout(new Milliseconds(timeout.toMillis()));
        try {
            return new TCPStore(at.masterAddr(), o);
        } catch (RuntimeException e) {
            String where = at.masterAddr() + ":" + at.masterPort();
            String what = at.rank() == 0 ? "not all " + at.worldSize() + " processes reached the rendezvous at " + where
                    : "cannot reach the rendezvous at MASTER_ADDR:MASTER_PORT = " + where;
            throw new IllegalStateException(what + " within " + timeout.toSeconds() + " s (rank " + at.rank() + " of "
                    + at.worldSize() + "): " + firstLine(e), e);
        }
    }

    private static Backend gloo(Store store, int rank, int world, boolean loopback, String ifnames) {
        // gloo.Device and its transport live in their own JNI library, libjnitorch_gloo
        Loader.load(org.bytedeco.pytorch.global.torch_gloo.class);
        ProcessGroupGloo.Options o = ProcessGroupGloo.Options.create(new Milliseconds(COLLECTIVE_TIMEOUT.toMillis()));
        GlooDeviceVector devices = new GlooDeviceVector();
        if (loopback) {
            // every process is on this machine: binding the hostname's address may pick an interface
            // that is down or firewalled, loopback always works
            devices.push_back(ProcessGroupGloo.createDeviceForHostname("127.0.0.1"));
        } else if (ifnames != null && !ifnames.isBlank()) {
            for (String name : ifnames.split(",")) {
                devices.push_back(ProcessGroupGloo.createDeviceForInterface(name.trim()));
            }
        } else {
            devices.push_back(ProcessGroupGloo.createDefaultDevice());
        }
        o.devices(devices);
        return new ProcessGroupGloo(store, rank, world, o);
    }

    public int rank() {
        return rank;
    }

    public int worldSize() {
        return world;
    }

    public int localRank() {
        return localRank;
    }

    /** Rank 0: the process that logs, evaluates and writes checkpoints. */
    public boolean isMain() {
        return rank == 0;
    }

    /** The device this process trains on (for NCCL, GPU {@code LOCAL_RANK}). */
    public Device device() {
        return device;
    }

    /** "gloo", "nccl", or "none" for {@link #single()}. */
    public String backend() {
        return group == null ? "none" : device.isCuda() ? "nccl" : "gloo";
    }

    /** Seed of this rank's random generators, {@code base + rank} as Detectron2 does. */
    public long seed(long base) {
        return base + rank;
    }

    /** Replaces each floating-point tensor by its mean over all ranks, in place, with one collective per dtype/device. */
    public void allReduceMean(List<Tensor> tensors) {
        if (world == 1 || tensors.isEmpty()) {
            return;
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (List<Tensor> same : byTypeAndDevice(tensors).values()) {
                if (!same.get(0).is_floating_point()) {
                    throw new IllegalArgumentException("allReduceMean needs floating-point tensors, got "
                            + same.get(0).scalar_type() + " (use allReduceSum for counts)");
                }
                Tensor flat = buffers.flatten(same, device.toNative());
                collective("allreduce", () -> group.allreduce(new TensorVector(flat)));
                flat.div_(F.scalar((double) world));
                FlatBuffers.scatterBack(flat, same);
            }
        }
    }

    /**
     * Averages the gradients of {@code params} over all ranks, in place, before the optimizer
     * step. A parameter whose gradient is undefined on this rank (unused by its batch) counts as
     * zero, so that every rank makes the same collective; afterwards its gradient is defined
     * wherever any rank had one, and stays undefined (skipped by {@link Adam}) where none had.
     * This is exactly the gradient of the mean loss over the union of all ranks' batches when the
     * ranks' batches are of equal size.
     */
    public void averageGradients(List<Tensor> params) {
        if (world == 1 || params.isEmpty()) {
            return;
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (List<Tensor> same : byTypeAndDevice(params).values()) {
                List<Tensor> parts = new ArrayList<>();
                float[] used = new float[same.size()];
                for (int i = 0; i < same.size(); i++) {
                    Tensor p = same.get(i);
                    Tensor g = p.grad();
                    used[i] = g.defined() ? 1 : 0;
                    parts.add(g.defined() ? g : torch.zeros(p.shape(), p.options()));
                }
                // the "has a gradient" flags ride in the same buffer: no second collective
                parts.add(Tensors.of(used, used.length).to(same.get(0).device(), same.get(0).scalar_type()));
                Tensor flat = buffers.flatten(parts, device.toNative());
                collective("allreduce", () -> group.allreduce(new TensorVector(flat)));
                flat.div_(F.scalar((double) world));
                long offset = 0;
                for (Tensor p : same) {
                    offset += p.numel();
                }
                float[] anyUsed = Tensors.toFloats(flat.narrow(0, offset, same.size()));
                offset = 0;
                for (int i = 0; i < same.size(); i++) {
                    Tensor p = same.get(i);
                    long n = p.numel();
                    if (anyUsed[i] > 0) {
                        Tensor avg = flat.narrow(0, offset, n).view_as(p);
                        Tensor g = p.grad();
                        if (g.defined()) {
                            g.copy_(avg);
                        } else {
                            p.mutable_grad().put(avg.to(p.device(), p.scalar_type()).clone());
                        }
                    }
                    offset += n;
                }
            }
        }
    }

    /** Copies {@code root}'s tensors into every rank's tensors of the same shapes (e.g. the initial weights). */
    public void broadcast(List<Tensor> tensors, int root) {
        if (root < 0 || root >= world) {
            throw new IllegalArgumentException("broadcast root " + root + " is not a rank of 0.." + (world - 1));
        }
        if (world == 1 || tensors.isEmpty()) {
            return;
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (List<Tensor> same : byTypeAndDevice(tensors).values()) {
                Tensor flat = buffers.flatten(same, device.toNative());
                BroadcastOptions o = new BroadcastOptions();
                o.rootRank(root);
                collective("broadcast", () -> group.broadcast(new TensorVector(flat), o));
                FlatBuffers.scatterBack(flat, same);
            }
        }
    }

    /** The mean of {@code value} over all ranks (e.g. a loss for the log). */
    public double allReduceMean(double value) {
        if (world == 1) {
            return value;
        }
        try (MemoryScope s = MemoryScope.open()) {
            return sum(F.scalar(value), ScalarType.Double).item_double() / world;
        }
    }

    /** The sum of {@code value} over all ranks (e.g. images seen, files skipped). */
    public long allReduceSum(long value) {
        if (world == 1) {
            return value;
        }
        try (MemoryScope s = MemoryScope.open()) {
            return sum(F.scalar(value), ScalarType.Long).item_long();
        }
    }

    /** The element-wise sums of {@code values} over all ranks, in float64 with one collective (e.g. ADA's sign statistics). */
    public double[] allReduceSum(double[] values) {
        if (world == 1 || values.length == 0) {
            return values.clone();
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor t = torch.zeros(new long[] {values.length}, new TensorOptions(ScalarType.Double));
            for (int i = 0; i < values.length; i++) {
                t.select(0, i).fill_(F.scalar(values[i]));
            }
            Tensor onDevice = t.to(device.toNative(), ScalarType.Double);
            collective("allreduce", () -> group.allreduce(new TensorVector(onDevice)));
            Tensor back = onDevice.cpu();
            double[] out = new double[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = back.select(0, i).item_double();
            }
            return out;
        }
    }

    private Tensor sum(org.bytedeco.pytorch.Scalar value, ScalarType type) {
        Tensor t = torch.full(new long[] {1}, value, new TensorOptions(type)).to(device.toNative(), type);
        collective("allreduce", () -> group.allreduce(new TensorVector(t)));
        return t;
    }

    /** Returns once every rank has called it. */
    public void barrier() {
        if (world == 1) {
            return;
        }
        // a one-element allreduce, read back on the host: NCCL's wait() only orders GPU streams,
        // so this is what blocks the calling thread on both backends
        allReduceSum(0);
    }

    /** Leaves the process group; the other ranks should close theirs too. Idempotent. */
    @Override
    public void close() {
        if (closed || group == null) {
            return;
        }
        closed = true;
        buffers.close();
        if (device.isCuda()) {
            NcclGroup.shutdown(group);
        }
        group.deallocate();
    }

    private static Map<String, List<Tensor>> byTypeAndDevice(List<Tensor> tensors) {
        Map<String, List<Tensor>> out = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (!t.defined()) {
                throw new IllegalArgumentException("cannot communicate an undefined tensor");
            }
            out.computeIfAbsent(t.scalar_type().intern() + "@" + t.device().str().getString(), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    private void collective(String what, Supplier<Work> start) {
        if (closed) {
            throw new IllegalStateException("the process group is closed");
        }
        try {
            start.get()._wait();
        } catch (RuntimeException e) {
            throw new IllegalStateException(what + " failed on rank " + rank + " of " + world
                    + " (another process probably stopped): " + firstLine(e), e);
        }
    }

    /** libtorch's messages carry a C++ stack trace after the first line. */
    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }
}
