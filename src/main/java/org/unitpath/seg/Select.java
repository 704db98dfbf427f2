package org.unitpath.seg;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Row selection helpers: boolean masks and index tensors along dimension 0. */
final class Select {
    private Select() {}

    /** Indices (long, 1-D) where {@code mask} is true. */
    static Tensor where(Tensor mask) {
        return torch.nonzero(mask).reshape(-1);
    }

    static Tensor rows(Tensor t, Tensor boolMask) {
        return t.index_select(0, where(boolMask));
    }

    static Tensor take(Tensor t, Tensor indices) {
        return t.index_select(0, indices);
    }

    static Tensor first(Tensor t, long k) {
        return t.size(0) <= k ? t : t.narrow(0, 0, k);
    }
}
