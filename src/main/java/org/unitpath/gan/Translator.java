package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;

/** G: mask image -> H&E image. The StyleGAN variant also takes a latent z; the CycleGAN-style ones ignore it. */
public interface Translator {
    Tensor translate(Tensor mask, Tensor z);

    /** Latent width, 0 when z is unused. */
    default int zDim() {
        return 0;
    }
}
