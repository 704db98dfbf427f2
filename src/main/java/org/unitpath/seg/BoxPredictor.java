package org.unitpath.seg;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Linear;
import org.unitpath.torch.Init;
import org.unitpath.torch.Module;

/** Detectron2's FastRCNNOutputLayers: {@code cls_score} (K + 1 classes) and class-specific {@code bbox_pred} (4K). */
public final class BoxPredictor extends Module {
    private final Linear clsScore;
    private final Linear bboxPred;

    public BoxPredictor(int inputDim, int numClasses) {
        clsScore = child("cls_score", new Linear(inputDim, numClasses + 1));
        bboxPred = child("bbox_pred", new Linear(inputDim, 4 * numClasses));
        Init.normal(clsScore.weight(), 0.01);
        Init.normal(bboxPred.weight(), 0.001);
        Init.constant(clsScore.namedParameters().get("bias"), 0);
        Init.constant(bboxPred.namedParameters().get("bias"), 0);
    }

    /** {scores R x (K + 1), deltas R x 4K}. */
    public Tensor[] forward(Tensor x) {
        return new Tensor[] {clsScore.forward(x), bboxPred.forward(x)};
    }
}
