package org.unitpath.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.BatchNorm2d;
import org.unitpath.nn.GroupNorm;
import org.unitpath.nn.InstanceNorm2d;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * SGD with momentum and L2 weight decay, PyTorch's update rule (torch.optim.SGD: the momentum
 * buffer starts as the first gradient, no dampening), grouped as Detectron2's
 * {@code build_optimizer} does: normalisation parameters get their own weight decay
 * (SOLVER.WEIGHT_DECAY_NORM, 0 by default).
 */
public final class Sgd extends Optimizer<Sgd.Group> {
    /** Parameters sharing a weight decay; {@code lr} is set by the schedule. */
    public static final class Group extends Optimizer.Group {
        Group(List<Tensor> params, double lr, double weightDecay) {
            super(params, lr, weightDecay);
        }
    }

    private final double momentum;
    private final Map<Tensor, Tensor> buffers = new IdentityHashMap<>();

    public Sgd(double momentum, Group... groups) {
        super(groups);
        this.momentum = momentum;
    }

    /** Detectron2's grouping of a model's trainable parameters: norm layers apart, everything else together. */
    public static Sgd detectron2(Module model, double lr, double momentum, double weightDecay, double weightDecayNorm) {
        Set<Tensor> normParams = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        collectNorms(model, normParams);
        List<Tensor> norm = new ArrayList<>();
        List<Tensor> other = new ArrayList<>();
        for (Tensor p : model.trainableParameters()) {
            (normParams.contains(p) ? norm : other).add(p);
        }
        return new Sgd(momentum, new Group(other, lr, weightDecay), new Group(norm, lr, weightDecayNorm));
    }

    private static void collectNorms(Module m, Set<Tensor> out) {
        if (m instanceof GroupNorm || m instanceof BatchNorm2d || m instanceof InstanceNorm2d) {
            out.addAll(m.parameters());
        }
        m.children().values().forEach(c -> collectNorms(c, out));
    }

    @Override
    protected void update(Group g, Tensor p, Tensor grad) {
        if (momentum != 0) {
            Tensor buf = buffers.get(p);
            if (buf == null) {
                buf = MemoryScope.keep(grad.clone());
                buffers.put(p, buf);
            } else {
                buf.mul_(F.scalar(momentum)).add_(grad);
            }
            grad = buf;
        }
        p.detach().add_(grad, F.scalar(-g.lr));
    }

    @Override
    protected Map<String, Object> parameterState(Tensor param) {
        Tensor buf = buffers.get(param);
        return buf == null ? Map.of() : Map.of("momentum_buffer", buf);
    }

    @Override
    protected void restoreParameterState(Tensor p, Map<String, Object> saved) {
        if (saved.get("momentum_buffer") instanceof Tensor t) {
            buffers.put(p, MemoryScope.keep(t.to(p.device(), p.scalar_type()).clone()));
        }
    }

    @Override
    protected void clearState() {
        buffers.clear();
    }
}
