package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unitpath.testing.Fixtures;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.pt.PtFile;

/**
 * The geometric stage equals StyleGAN2-ADA's own AugmentPipe for the same G⁻¹ (outputs and input
 * gradients made by tools/fixtures/make_ada_fixtures.py), including the reference's imperfect
 * x-flips and quarter turns: its sym6 filter is not symmetric, so a mirrored image is shifted
 * by a fraction of a pixel rather than flipped exactly.
 */
class AugmentReferenceTest {
    private static final double TOLERANCE = 3e-5;
    private static Map<String, Tensor> reference;

    @BeforeAll
    static void load() throws IOException {
        reference = PtFile.readStateDict(Fixtures.path("ada/geometric.pt"));
    }

    private static double[][][] transforms(String name) {
        float[] g = Tensors.toFloats(reference.get(name + ".g_inv"));
        double[][][] out = new double[g.length / 9][3][3];
        for (int i = 0; i < g.length; i++) {
            out[i / 9][i % 9 / 3][i % 3] = g[i];
        }
        return out;
    }

    private static double check(String name) {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor y = GeometricWarp.warp(reference.get("x"), transforms(name));
            double diff = Tensors.maxAbsDiff(y, reference.get(name + ".out"));
            assertEquals(0, diff, TOLERANCE, name);
            return diff;
        }
    }

    @Test
    void pixelAlignedTransformsMatchTheReference() {
        for (String name : new String[] {"identity", "xflip", "rot90", "xint"}) {
            check(name);
        }
    }

    @Test
    void generalAndHeavyTransformsMatchTheReferenceInValueAndGradient() {
        for (String name : new String[] {"general", "heavy"}) {
            check(name);
            try (MemoryScope s = MemoryScope.open()) {
                Tensor x = reference.get("x").detach().clone().requires_grad_(true);
                Tensor out = GeometricWarp.warp(x, transforms(name)).mul(reference.get("r")).sum();
                TensorVector g = torch.grad(new TensorVector(out), new TensorVector(x),
                        new TensorVector(torch.ones_like(out)), new BoolOptional(false), false, false);
                assertEquals(0, Tensors.maxAbsDiff(g.get(0), reference.get(name + ".grad")), 5e-5, name + " gradient");
            }
        }
    }
}
