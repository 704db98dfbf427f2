package org.unitpath.train;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;

/**
 * Adam with PyTorch's update rule (torch.optim.Adam, non-amsgrad, L2 weight decay), written on
 * tensor ops so its state is ours to checkpoint and resume exactly. Parameters whose gradient
 * is undefined are skipped, as in PyTorch.
 */
public final class Adam {
    /** A group of parameters sharing hyper-parameters; {@code lr} is changed by schedules. */
    public static final class Group {
        final List<Tensor> params;
        public double lr;
        public final double beta1;
        public final double beta2;
        public final double eps;
        public final double weightDecay;

        public Group(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
            this.params = List.copyOf(params);
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }
    }

    private static final class State {
        long step;
        Tensor expAvg;
        Tensor expAvgSq;
    }

    private final List<Group> groups = new ArrayList<>();
    private final Map<Tensor, State> state = new IdentityHashMap<>();

    public Adam(Group... groups) {
        this.groups.addAll(List.of(groups));
    }

    public static Adam of(List<Tensor> params, double lr, double beta1, double beta2) {
        return new Adam(new Group(params, lr, beta1, beta2, 1e-8, 0));
    }

    /**
     * Adam for a network regularised lazily every {@code interval} steps (StyleGAN2): learning
     * rate and betas are rescaled by interval / (interval + 1) so that the regularised and plain
     * steps together move as one step would.
     */
    public static Adam lazy(List<Tensor> params, double lr, double beta1, double beta2, int interval) {
        double ratio = interval / (interval + 1.0);
        return new Adam(new Group(params, lr * ratio, Math.pow(beta1, ratio), Math.pow(beta2, ratio), 1e-8, 0));
    }

    public List<Group> groups() {
        return groups;
    }

    public void step() {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (Group g : groups) {
                for (Tensor p : g.params) {
                    Tensor grad = p.grad();
                    if (!grad.defined()) {
                        continue;
                    }
                    State st = state.computeIfAbsent(p, k -> new State());
                    if (st.expAvg == null) {
                        st.expAvg = MemoryScope.keep(p.detach().mul(F.scalar(0.0)));
                        st.expAvgSq = MemoryScope.keep(p.detach().mul(F.scalar(0.0)));
                    }
                    st.step++;
                    if (g.weightDecay != 0) {
                        grad = grad.add(p.detach().mul(F.scalar(g.weightDecay)));
                    }
                    st.expAvg.lerp_(grad, F.scalar(1 - g.beta1));
                    st.expAvgSq.mul_(F.scalar(g.beta2)).addcmul_(grad, grad, F.scalar(1 - g.beta2));
                    double bc1 = 1 - Math.pow(g.beta1, st.step);
                    double bc2 = 1 - Math.pow(g.beta2, st.step);
                    Tensor denom = st.expAvgSq.sqrt().div(F.scalar(Math.sqrt(bc2))).add(F.scalar(g.eps));
                    p.detach().addcdiv_(st.expAvg, denom, F.scalar(-g.lr / bc1));
                }
            }
        }
    }

    /** Drops every gradient (set to undefined), so parameters unused in the next step are not updated. */
    public void zeroGrad() {
        for (Group g : groups) {
            for (Tensor p : g.params) {
                if (p.grad().defined()) {
                    p.mutable_grad().put(new Tensor());
                }
            }
        }
    }

    /** State as name -> value for checkpoints: {@code <group>.<index>.exp_avg|exp_avg_sq|step}, plus each group's lr. */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            out.put(gi + ".lr", g.lr);
            for (int pi = 0; pi < g.params.size(); pi++) {
                State st = state.get(g.params.get(pi));
                if (st != null && st.expAvg != null) {
                    out.put(gi + "." + pi + ".step", st.step);
                    out.put(gi + "." + pi + ".exp_avg", st.expAvg);
                    out.put(gi + "." + pi + ".exp_avg_sq", st.expAvgSq);
                }
            }
        }
        return out;
    }

    public void loadStateDict(Map<String, ?> saved) {
        state.clear();
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            if (saved.get(gi + ".lr") instanceof Number lr) {
                g.lr = lr.doubleValue();
            }
            for (int pi = 0; pi < g.params.size(); pi++) {
                Object avg = saved.get(gi + "." + pi + ".exp_avg");
                if (avg == null) {
                    continue;
                }
                Tensor p = g.params.get(pi);
                State st = new State();
                st.step = ((Number) saved.get(gi + "." + pi + ".step")).longValue();
                st.expAvg = MemoryScope.keep(((Tensor) avg).to(p.device(), p.scalar_type()).clone());
                st.expAvgSq = MemoryScope.keep(((Tensor) saved.get(gi + "." + pi + ".exp_avg_sq"))
                        .to(p.device(), p.scalar_type()).clone());
                state.put(p, st);
            }
        }
    }
}
