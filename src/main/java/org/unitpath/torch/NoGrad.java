package org.unitpath.torch;

import org.bytedeco.pytorch.NoGradGuard;

/** Disables autograd recording on this thread until closed: {@code try (NoGrad ng = NoGrad.enter()) {...}}. */
public final class NoGrad implements AutoCloseable {
    private final NoGradGuard guard;

    private NoGrad() {
        Torch.init();
        guard = new NoGradGuard();
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        guard.close();
    }
}
