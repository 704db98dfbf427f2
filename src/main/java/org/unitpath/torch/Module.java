package org.unitpath.torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.bytedeco.pytorch.Tensor;

/**
 * Base of every network: a tree of named children owning named parameters and buffers, with
 * the dotted hierarchical names PyTorch uses ({@code backbone.bottom_up.res2.0.conv1.weight}).
 * Subclasses register what they own in their constructor and keep plain fields for forward().
 * Parameters are leaf tensors created outside any {@link Scope}; they keep their identity
 * across {@link #to} and {@link #loadStateDict}, so optimizers may be built at any time.
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a trainable parameter; {@code init} becomes a leaf that requires grad. */
    protected final Tensor param(String name, Tensor init) {
        checkName(name);
        Tensor p = MemoryScope.keep(init.detach().requires_grad_(true));
        params.put(name, p);
        return p;
    }

    /** Registers a state tensor saved in the state dict but not trained (e.g. BatchNorm statistics). */
    protected final Tensor buffer(String name, Tensor init) {
        checkName(name);
        Tensor b = MemoryScope.keep(init.detach());
        buffers.put(name, b);
        return b;
    }

    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("bad member name '" + name + "': must be non-empty without dots");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("member '" + name + "' registered twice in " + getClass().getSimpleName());
        }
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** All parameters, keyed by dotted name, in registration order (own first, then children). */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> m.params.forEach((n, t) -> out.put(prefix + n, t)));
        return out;
    }

    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> m.buffers.forEach((n, t) -> out.put(prefix + n, t)));
        return out;
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters that currently require grad, i.e. those an optimizer should update. */
    public final List<Tensor> trainableParameters() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : namedParameters().values()) {
            if (t.requires_grad()) {
                out.add(t);
            }
        }
        return out;
    }

    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.numel();
        }
        return n;
    }

    /** Parameters and buffers by dotted name, in PyTorch's state_dict order. The tensors are the live ones. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> {
            m.params.forEach((n, t) -> out.put(prefix + n, t));
            m.buffers.forEach((n, t) -> out.put(prefix + n, t));
        });
        return out;
    }

    /**
     * Copies tensors from {@code source} into this module's parameters and buffers (converting
     * dtype and device). Names present on one side only and shape mismatches are collected in
     * the report; with {@code strict} any of them raises a {@link StateDictException} before
     * anything is copied.
     */
    public final LoadReport loadStateDict(Map<String, Tensor> source, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = source.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                mismatched.add(e.getKey() + ": checkpoint " + Arrays.toString(src.shape())
                        + ", model " + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String name : source.keySet()) {
            if (!own.containsKey(name)) {
                unexpected.add(name);
            }
        }
        LoadReport report = new LoadReport(missing, unexpected, mismatched);
        if (strict && !report.isClean()) {
            throw new StateDictException(report);
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = source.get(e.getKey());
                if (src != null && Arrays.equals(src.shape(), e.getValue().shape())) {
                    e.getValue().copy_(src);
                }
            }
        }
        return report;
    }

    /** Moves every parameter and buffer to {@code device} in place (the Tensor objects stay the same). */
    public final Module to(Device device) {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            org.bytedeco.pytorch.Device d = device.toNative();
            for (Tensor t : stateDict().values()) {
                if (!t.device().equals(d)) {
                    t.set_data(t.to(d, t.scalar_type()));
                }
            }
        }
        return this;
    }

    /** Converts every floating-point parameter and buffer to {@code type} in place (integer buffers stay). */
    public final Module to(org.bytedeco.pytorch.global.torch.ScalarType type) {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (Tensor t : stateDict().values()) {
                if (t.is_floating_point()) {
                    t.set_data(t.to(type));
                }
            }
        }
        return this;
    }

    public final Module train(boolean on) {
        visit("", (prefix, m) -> m.training = on);
        return this;
    }

    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Sets requires_grad on every parameter of this subtree (false = frozen). */
    public final Module requiresGrad(boolean on) {
        for (Tensor t : namedParameters().values()) {
            t.requires_grad_(on);
        }
        return this;
    }

    private void visit(String prefix, BiConsumer<String, Module> action) {
        action.accept(prefix, this);
        children.forEach((name, c) -> c.visit(prefix + name + ".", action));
    }
}
