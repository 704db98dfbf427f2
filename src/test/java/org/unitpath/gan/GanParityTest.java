package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unitpath.testing.Fixtures;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.pt.PtFile;

/**
 * Numerical parity with PyTorch networks built as in the UNITPathSSL release (reference made by
 * tools/fixtures/make_gan_fixtures.py with Debian's PyTorch 1.13): the same weights, loaded
 * strictly under unitpath's names, give the same outputs.
 */
class GanParityTest {
    private static final double TOLERANCE = 1e-4;
    private static Map<String, Tensor> reference;

    @BeforeAll
    static void load() throws IOException {
        reference = PtFile.readStateDict(Fixtures.path("gan/gan_parity.pt"));
    }

    private static Map<String, Tensor> weights(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        reference.forEach((k, v) -> {
            if (k.startsWith(prefix + ".") && !k.equals(prefix + ".input") && !k.startsWith(prefix + ".output")
                    && !k.startsWith(prefix + ".after_train") && !k.equals(prefix + ".r1")) {
                out.put(k.substring(prefix.length() + 1), v);
            }
        });
        return out;
    }

    private static void assertClose(String key, Tensor actual) {
        Tensor expected = reference.get(key);
        assertArrayEquals(expected.shape(), actual.shape(), key + " shape");
        double diff = Tensors.maxAbsDiff(expected, actual);
        assertTrue(diff < TOLERANCE, key + ": max abs diff " + diff);
    }

    private static void loadBuffersMissingFromPython(Module net, Map<String, Tensor> sd) {
        net.namedBuffers().forEach((k, v) -> {
            if (k.endsWith("num_batches_tracked")) {
                sd.putIfAbsent(k, v);
            }
        });
        net.loadStateDict(sd, true);
    }

    @Test
    void resnetGeneratorMatchesTheRelease() {
        ResnetGenerator g = new ResnetGenerator(4, 2);
        g.loadStateDict(weights("resnet"), true);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            assertClose("resnet.output", g.forward(reference.get("resnet.input")));
        }
    }

    @Test
    void unetGeneratorMatchesPix2pixInTrainAndEvalMode() {
        UnetGenerator g = new UnetGenerator(5, 2);
        loadBuffersMissingFromPython(g, weights("unet"));
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            g.eval();
            assertClose("unet.output_eval", g.forward(reference.get("unet.input")));
            g.train(true);
            assertClose("unet.output_train", g.forward(reference.get("unet.input")));
            g.namedBuffers().forEach((k, v) -> {
                if (!k.endsWith("num_batches_tracked")) {
                    assertClose("unet.after_train." + k, v);
                }
            });
        }
    }

    @Test
    void patchDiscriminatorAndItsR1MatchTheRelease() {
        PatchDiscriminator d = new PatchDiscriminator(4);
        d.loadStateDict(weights("patch"), true);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = reference.get("patch.input").clone().requires_grad_(true);
            Tensor scores = d.forward(x);
            assertClose("patch.output", scores);
            assertClose("patch.r1", GanLosses.r1Legacy(scores, x));
        }
    }
}
