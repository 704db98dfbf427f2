package org.unitpath.transfer;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.train.Adam;

/** The optimizer of a downstream training loop, whose state goes into the checkpoint. */
public interface Optimizer {
    void setLr(double lr);

    void step();

    void zeroGrad();

    Map<String, Object> stateDict();

    void loadStateDict(Map<String, ?> saved);

    /** PyTorch's Adam (betas 0.9, 0.999) with L2 weight decay. */
    static Optimizer adam(List<Tensor> params, double lr, double weightDecay) {
        Adam adam = new Adam(new Adam.Group(params, lr, 0.9, 0.999, 1e-8, weightDecay));
        return new Optimizer() {
            @Override
            public void setLr(double v) {
                adam.groups().get(0).lr = v;
            }

            @Override
            public void step() {
                adam.step();
            }

            @Override
            public void zeroGrad() {
                adam.zeroGrad();
            }

            @Override
            public Map<String, Object> stateDict() {
                return adam.stateDict();
            }

            @Override
            public void loadStateDict(Map<String, ?> saved) {
                adam.loadStateDict(saved);
            }
        };
    }
}
