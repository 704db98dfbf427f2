package org.unitpath.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;

/**
 * An optimizer over groups of parameters, with state we checkpoint ourselves: each group's
 * {@code lr} as {@code <group>.lr} and each parameter's state as {@code <group>.<index>.<name>}.
 */
public abstract class Optimizer<G extends Optimizer.Group> {
    /** Parameters sharing hyper-parameters; {@code lr} is changed by schedules. */
    public static class Group {
        final List<Tensor> params;
        public double lr;
        public final double weightDecay;

        protected Group(List<Tensor> params, double lr, double weightDecay) {
            this.params = List.copyOf(params);
            this.lr = lr;
            this.weightDecay = weightDecay;
        }
    }

    private final List<G> groups = new ArrayList<>();

    @SafeVarargs
    protected Optimizer(G... groups) {
        this.groups.addAll(List.of(groups));
    }

    public final List<G> groups() {
        return groups;
    }

    /**
     * Updates every parameter that has a gradient (PyTorch skips the others), the gradient
     * carrying the group's L2 weight decay.
     */
    public final void step() {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (G g : groups) {
                for (Tensor p : g.params) {
                    Tensor grad = p.grad();
                    if (!grad.defined()) {
                        continue;
                    }
                    if (g.weightDecay != 0) {
                        grad = grad.add(p.detach().mul(F.scalar(g.weightDecay)));
                    }
                    update(g, p, grad);
                }
            }
        }
    }

    /** One parameter's update, inside {@link #step}'s no-grad scope. */
    protected abstract void update(G group, Tensor param, Tensor grad);

    /** The state of one parameter by name (empty before its first step). */
    protected abstract Map<String, Object> parameterState(Tensor param);

    /** Restores one parameter's state from what {@link #parameterState} gave (never empty). */
    protected abstract void restoreParameterState(Tensor param, Map<String, Object> state);

    protected abstract void clearState();

    /** Drops every gradient (set to undefined), so parameters unused in the next step are not updated. */
    public final void zeroGrad() {
        for (G g : groups) {
            for (Tensor p : g.params) {
                if (p.grad().defined()) {
                    p.mutable_grad().put(new Tensor());
                }
            }
        }
    }

    public final Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            G g = groups.get(gi);
            out.put(gi + ".lr", g.lr);
            for (int pi = 0; pi < g.params.size(); pi++) {
                String prefix = gi + "." + pi + ".";
                parameterState(g.params.get(pi)).forEach((k, v) -> out.put(prefix + k, v));
            }
        }
        return out;
    }

    public final void loadStateDict(Map<String, ?> saved) {
        clearState();
        for (int gi = 0; gi < groups.size(); gi++) {
            G g = groups.get(gi);
            if (saved.get(gi + ".lr") instanceof Number lr) {
                g.lr = lr.doubleValue();
            }
            for (int pi = 0; pi < g.params.size(); pi++) {
                String prefix = gi + "." + pi + ".";
                Map<String, Object> state = new LinkedHashMap<>();
                saved.forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        state.put(k.substring(prefix.length()), v);
                    }
                });
                if (!state.isEmpty()) {
                    restoreParameterState(g.params.get(pi), state);
                }
            }
        }
    }
}
