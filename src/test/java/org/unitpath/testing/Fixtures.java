package org.unitpath.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.Torch;

/**
 * Test fixtures under src/test/resources/fixtures, and the closed-form weights and input that
 * tools/fixtures/make_torch_fixtures.py used to make the Python references (same formula).
 */
public final class Fixtures {
    private Fixtures() {}

    public static Path path(String relative) {
        try {
            var url = Fixtures.class.getResource("/fixtures/" + relative);
            if (url == null) {
                throw new IllegalStateException("missing test fixture " + relative);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** torchvision names and shapes of one tagged module ("gn", "bn" or "fpn") in state_dict order. */
    public static Map<String, long[]> torchvisionShapes(String tag) {
        Map<String, long[]> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(path("torch/torchvision_names.txt"))) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ", -1);
                if (!parts[0].equals(tag)) {
                    continue;
                }
                long[] shape = parts[2].isEmpty() ? new long[0]
                        : Arrays.stream(parts[2].split(",")).mapToLong(Long::parseLong).toArray();
                out.put(parts[1], shape);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The formula weights for every name of {@code shapes}. */
    public static Map<String, Tensor> formulaWeights(Map<String, long[]> shapes) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> out.put(name, formulaWeight(name, shape)));
        return out;
    }

    static Tensor formulaWeight(String name, long[] shape) {
        Torch.init();
        long numel = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        if (leaf.equals("num_batches_tracked")) {
            return torch.zeros(shape, new TensorOptions(ScalarType.Long));
        }
        Tensor v = hashUniform(numel, nameSeed(name)).reshape(shape);
        Tensor out;
        if (leaf.equals("running_mean")) {
            out = v.mul(F.scalar(0.1));
        } else if (leaf.equals("running_var")) {
            out = v.mul(v).mul(F.scalar(0.5)).add(F.scalar(1.0));
        } else if (shape.length >= 2) {
            out = v.div(F.scalar(Math.sqrt((double) numel / shape[0])));
        } else if (leaf.equals("weight")) {
            out = v.mul(F.scalar(0.2)).add(F.scalar(1.0));
        } else {
            out = v.mul(F.scalar(0.1));
        }
        return out.to(ScalarType.Float);
    }

    /** Values in [-1, 1) from an integer hash of (index, seed), in exact int64 arithmetic (as the Python script). */
    static Tensor hashUniform(long numel, long seed) {
        long m = 1L << 32;
        Tensor h = torch.arange(F.scalar(numel), new TensorOptions(ScalarType.Long))
                .mul(F.scalar(2654435761L)).add(F.scalar(seed * 97 + 1)).remainder(F.scalar(m));
        for (int i = 0; i < 2; i++) {
            h = h.bitwise_xor(h.bitwise_right_shift(F.scalar(16)));
            h = h.mul(F.scalar(0x45D9F3BL)).remainder(F.scalar(m));
        }
        h = h.bitwise_xor(h.bitwise_right_shift(F.scalar(16)));
        return h.to(ScalarType.Double).div(F.scalar((double) m)).mul(F.scalar(2.0)).sub(F.scalar(1.0));
    }

    static long nameSeed(String name) {
        long s = 0;
        for (int i = 0; i < name.length(); i++) {
            s += (long) (i + 1) * name.charAt(i);
        }
        return s % 10007;
    }

    /** The 2 x 3 x 64 x 64 input image of the parity references. */
    public static Tensor formulaInput() {
        Torch.init();
        return hashUniform(2L * 3 * 64 * 64, 12345).to(ScalarType.Float).reshape(2, 3, 64, 64);
    }

    /** Copies of the names matching a predicate, for assertions on subsets. */
    public static List<String> keysStartingWith(Map<String, ?> map, String prefix) {
        List<String> out = new ArrayList<>();
        for (String k : map.keySet()) {
            if (k.startsWith(prefix)) {
                out.add(k);
            }
        }
        return out;
    }
}
