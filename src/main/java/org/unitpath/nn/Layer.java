package org.unitpath.nn;

import org.bytedeco.pytorch.Tensor;

/** A module with one input and one output. */
public interface Layer {
    Tensor forward(Tensor x);
}
