package org.unitpath.gan;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.unitpath.torch.Module;

/** Children named 0..n-1, as PyTorch's {@code nn.ModuleList}. */
final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    M add(M m) {
        items.add(child(Integer.toString(items.size()), m));
        return m;
    }

    M get(int i) {
        return items.get(i);
    }

    int size() {
        return items.size();
    }

    @Override
    public Iterator<M> iterator() {
        return items.iterator();
    }
}
