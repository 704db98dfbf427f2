package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.testing.Fixtures;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.pt.PtFile;

/**
 * The references of fixtures/detection/detection.pt (made by
 * tools/fixtures/make_detection_fixtures.py with torchvision 0.14), loaded once per test JVM.
 */
final class DetectionFixtures {
    private static Map<String, Tensor> reference;

    private DetectionFixtures() {}

    static synchronized Tensor get(String key) {
        if (reference == null) {
            try {
                reference = PtFile.readStateDict(Fixtures.path("detection/detection.pt"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            reference.values().forEach(MemoryScope::keep);
        }
        Tensor t = reference.get(key);
        if (t == null) {
            throw new IllegalStateException("no tensor " + key + " in detection.pt");
        }
        return t;
    }

    static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double diff = Tensors.maxAbsDiff(expected, actual);
        assertTrue(diff < tolerance, what + ": max abs diff " + diff + " >= " + tolerance);
    }

    static void assertSameLongs(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(HostArrays.toLongs(expected), HostArrays.toLongs(actual), what);
    }

    /** d(sum(out * upstream)) / d(wrt). */
    static Tensor gradient(Tensor out, Tensor upstream, Tensor wrt) {
        TensorVector g = torch.grad(new TensorVector(out.mul(upstream).sum()), new TensorVector(wrt),
                new TensorVector(), new BoolOptional(false), false, false);
        return g.get(0);
    }
}
