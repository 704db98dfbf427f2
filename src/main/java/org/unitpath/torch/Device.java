package org.unitpath.torch;

import org.bytedeco.pytorch.global.torch.DeviceType;

/** A compute device: {@code cpu}, {@code cuda} or {@code cuda:N}. */
public record Device(Kind kind, int index) {
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, -1);

    public Device {
        if (kind == Kind.CPU && index != -1) {
            throw new IllegalArgumentException("the cpu device takes no index");
        }
        if (kind == Kind.CUDA && index < 0) {
            throw new IllegalArgumentException("cuda device index must be >= 0, got " + index);
        }
    }

    /**
     * Parses {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (the first GPU when CUDA is
     * usable, else the CPU). A CUDA device that this machine does not have is rejected here, so
     * a run fails at start-up rather than at its first tensor.
     */
    public static Device parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("auto")) {
            return Torch.cudaAvailable() ? new Device(Kind.CUDA, 0) : CPU;
        }
        if (s.equals("cuda") || s.startsWith("cuda:")) {
            int index = 0;
            if (s.startsWith("cuda:")) {
                try {
                    index = Integer.parseInt(s.substring(5));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad device '" + text + "': expected cuda:N with N a GPU index");
                }
            }
            int count = Torch.cudaDeviceCount();
            if (count == 0) {
                throw new IllegalArgumentException("device '" + text + "' asked for, but CUDA is not usable here "
                        + "(CPU build of libtorch, or no NVIDIA driver/GPU); use --device cpu or build with -Pgpu");
            }
            if (index >= count) {
                throw new IllegalArgumentException("device '" + text + "' asked for, but this machine has "
                        + count + " CUDA device(s)");
            }
            return new Device(Kind.CUDA, index);
        }
        throw new IllegalArgumentException("bad device '" + text + "': expected cpu, cuda, cuda:N or auto");
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /** The libtorch device handle (a new native object; callers inside a Scope need not free it). */
    public org.bytedeco.pytorch.Device toNative() {
        Torch.init();
        return kind == Kind.CPU
                ? new org.bytedeco.pytorch.Device(DeviceType.CPU)
                : new org.bytedeco.pytorch.Device(DeviceType.CUDA, (byte) index);
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
