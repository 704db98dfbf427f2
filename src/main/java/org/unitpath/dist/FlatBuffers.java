package org.unitpath.dist;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.MemoryScope;

/**
 * Packs many tensors of one dtype into one contiguous buffer, so that a whole model's
 * gradients travel in a single collective instead of one per parameter. Buffers are kept from
 * step to step, keyed by dtype, device and size: a fresh buffer of model size costs more in page
 * faults than the copy itself (measured: 10 M floats over 100 tensors, 110 -> 66 ms per
 * gradient average on 2 cores).
 */
final class FlatBuffers implements AutoCloseable {
    private static final int MAX_KEPT = 8;

    private final Map<String, Tensor> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tensor> eldest) {
            if (size() <= MAX_KEPT) {
                return false;
            }
            eldest.getValue().releaseReference();
            return true;
        }
    };

    /** One contiguous 1-d tensor on {@code comm} holding {@code same} (all of one dtype) in order. */
    Tensor flatten(List<Tensor> same, Device comm) {
        Tensor first = same.get(0);
        if (same.size() == 1 && first.is_contiguous() && first.device().equals(comm)) {
            // a view: the collective then works in place, with no copy in or out
            return first.view(-1);
        }
        TensorVector parts = new TensorVector();
        long n = 0;
        for (Tensor t : same) {
            parts.push_back(t.reshape(-1).to(comm, first.scalar_type()));
            n += t.numel();
        }
        String key = first.scalar_type().intern() + "@" + comm.str().getString() + "#" + n;
        Tensor buffer = kept.get(key);
        if (buffer == null) {
            buffer = MemoryScope.keep(torch.empty(new long[] {n}, first.options(), new MemoryFormatOptional())
                    .to(comm, first.scalar_type()));
            kept.put(key, buffer);
        }
        return torch.cat_out(buffer, parts);
    }

    /** Copies the pieces of {@code flat} back into {@code targets}, the inverse of {@link #flatten}. */
    static void scatterBack(Tensor flat, List<Tensor> targets) {
        if (targets.size() == 1 && targets.get(0).data_ptr().address() == flat.data_ptr().address()) {
            return;
        }
        long offset = 0;
        for (Tensor t : targets) {
            long n = t.numel();
            t.copy_(flat.narrow(0, offset, n).view_as(t));
            offset += n;
        }
    }

    @Override
    public void close() {
        kept.values().forEach(Tensor::releaseReference);
        kept.clear();
    }
}
