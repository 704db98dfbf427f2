package org.unitpath.optim;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;

/**
 * Adam with PyTorch's update rule (torch.optim.Adam, non-amsgrad, L2 weight decay), written on
 * tensor ops so its state is ours to checkpoint and resume exactly. Parameters whose gradient
 * is undefined are skipped, as in PyTorch.
 */
public final class Adam extends Optimizer<Adam.Group> {
    /** A group of parameters sharing hyper-parameters; {@code lr} is changed by schedules. */
    public static final class Group extends Optimizer.Group {
        public final double beta1;
        public final double beta2;
        public final double eps;

        public Group(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
            super(params, lr, weightDecay);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
        }
    }

    private static final class State {
        long step;
        Tensor expAvg;
        Tensor expAvgSq;
    }

    private final Map<Tensor, State> state = new IdentityHashMap<>();

    public Adam(Group... groups) {
        super(groups);
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
        return new Adam(lazyGroup(params, lr, beta1, beta2, interval));
    }

    /** One group rescaled as in {@link #lazy}, for an optimizer whose other groups are not (G beside S). */
    public static Group lazyGroup(List<Tensor> params, double lr, double beta1, double beta2, int interval) {
        double ratio = lazyRatio(interval);
        return new Group(params, lr * ratio, Math.pow(beta1, ratio), Math.pow(beta2, ratio), 1e-8, 0);
    }

    /** StyleGAN2-ADA's {@code mb_ratio}: interval / (interval + 1). */
    public static double lazyRatio(int interval) {
        return interval / (interval + 1.0);
    }

    @Override
    protected void update(Group g, Tensor p, Tensor grad) {
        State st = state.computeIfAbsent(p, k -> new State());
        if (st.expAvg == null) {
            st.expAvg = MemoryScope.keep(p.detach().mul(F.scalar(0.0)));
            st.expAvgSq = MemoryScope.keep(p.detach().mul(F.scalar(0.0)));
        }
        st.step++;
        st.expAvg.lerp_(grad, F.scalar(1 - g.beta1));
        st.expAvgSq.mul_(F.scalar(g.beta2)).addcmul_(grad, grad, F.scalar(1 - g.beta2));
        double bc1 = 1 - Math.pow(g.beta1, st.step);
        double bc2 = 1 - Math.pow(g.beta2, st.step);
        Tensor denom = st.expAvgSq.sqrt().div(F.scalar(Math.sqrt(bc2))).add(F.scalar(g.eps));
        p.detach().addcdiv_(st.expAvg, denom, F.scalar(-g.lr / bc1));
    }

    @Override
    protected Map<String, Object> parameterState(Tensor param) {
        State st = state.get(param);
        if (st == null || st.expAvg == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", st.step);
        out.put("exp_avg", st.expAvg);
        out.put("exp_avg_sq", st.expAvgSq);
        return out;
    }

    @Override
    protected void restoreParameterState(Tensor p, Map<String, Object> saved) {
        State st = new State();
        st.step = ((Number) saved.get("step")).longValue();
        st.expAvg = MemoryScope.keep(((Tensor) saved.get("exp_avg")).to(p.device(), p.scalar_type()).clone());
        st.expAvgSq = MemoryScope.keep(((Tensor) saved.get("exp_avg_sq")).to(p.device(), p.scalar_type()).clone());
        state.put(p, st);
    }

    @Override
    protected void clearState() {
        state.clear();
    }
}
