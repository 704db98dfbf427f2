package org.unitpath.transfer;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;

/**
 * SGD with momentum and L2 weight decay, PyTorch's update rule (torch.optim.SGD, dampening 0,
 * not Nesterov), on tensor ops so that its momentum buffers can be checkpointed and resumed.
 */
public final class Sgd implements Optimizer {
    private final List<Tensor> params;
    private final double momentum;
    private final double weightDecay;
    private final Map<Tensor, Tensor> buffers = new IdentityHashMap<>();
    private double lr;

    public Sgd(List<Tensor> params, double lr, double momentum, double weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void setLr(double lr) {
        this.lr = lr;
    }

    @Override
    public void step() {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (Tensor p : params) {
                Tensor grad = p.grad();
                if (!grad.defined()) {
                    continue;
                }
                if (weightDecay != 0) {
                    grad = grad.add(p.detach().mul(F.scalar(weightDecay)));
                }
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
                p.detach().add_(grad, F.scalar(-lr));
            }
        }
    }

    @Override
    public void zeroGrad() {
        for (Tensor p : params) {
            if (p.grad().defined()) {
                p.mutable_grad().put(new Tensor());
            }
        }
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lr", lr);
        for (int i = 0; i < params.size(); i++) {
            Tensor buf = buffers.get(params.get(i));
            if (buf != null) {
                out.put(i + ".momentum_buffer", buf);
            }
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, ?> saved) {
        buffers.clear();
        if (saved.get("lr") instanceof Number n) {
            lr = n.doubleValue();
        }
        for (int i = 0; i < params.size(); i++) {
            if (saved.get(i + ".momentum_buffer") instanceof Tensor t) {
                Tensor p = params.get(i);
                buffers.put(p, MemoryScope.keep(t.to(p.device(), p.scalar_type()).clone()));
            }
        }
    }
}
