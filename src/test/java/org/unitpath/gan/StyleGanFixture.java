package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.testing.Fixtures;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.pt.PtFile;

/**
 * One file of src/test/resources/fixtures/stylegan (made by tools/fixtures/make_stylegan_fixtures.py
 * from NVlabs/stylegan2-ada-pytorch's networks.py): weights under unitpath's names, inputs, outputs.
 */
final class StyleGanFixture {
    /** Max abs difference accepted between unitpath and the float32 PyTorch reference. */
    static final double TOLERANCE = 1e-4;
    private final String file;
    private final Map<String, Tensor> entries;

    private StyleGanFixture(String file, Map<String, Tensor> entries) {
        this.file = file;
        this.entries = entries;
    }

    static StyleGanFixture load(String name) {
        try {
            return new StyleGanFixture(name, PtFile.readStateDict(Fixtures.path("stylegan/" + name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tensor get(String key) {
        Tensor t = entries.get(key);
        assertNotNull(t, file + " has no entry " + key);
        return t;
    }

    /** The entries under {@code prefix}, with the prefix removed (a module's state dict). */
    Map<String, Tensor> under(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        assertTrue(!out.isEmpty(), file + " has nothing under " + prefix);
        return out;
    }

    /** Loads the weights under {@code prefix} strictly: every name must match in both directions. */
    <M extends Module> M loadInto(M module, String prefix) {
        module.loadStateDict(under(prefix), true);
        return module;
    }

    /** Asserts max |expected - actual| < TOLERANCE and prints the measured difference. */
    double assertClose(String key, Tensor actual) {
        return assertClose(key, key, actual);
    }

    double assertClose(String label, String key, Tensor actual) {
        Tensor expected = get(key);
        assertArrayEquals(expected.shape(), actual.shape(), label + " shape");
        double diff = Tensors.maxAbsDiff(expected, actual);
        double scale = expected.abs().max().item_double();
        System.out.printf("stylegan parity %-42s max abs diff %.2e (reference max |x| %.2f)%n", label, diff, scale);
        assertTrue(diff < TOLERANCE, label + ": max abs diff " + diff + " >= " + TOLERANCE);
        return diff;
    }
}
