package org.unitpath.torch.pt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Writes a pickle (protocol 2) the way {@code torch.save} does: dicts as OrderedDict, tensors
 * as {@code torch._utils._rebuild_tensor_v2} over persistent storages whose bytes the caller
 * stores under {@code data/<key>}.
 */
final class Pickler {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Tensor> storages = new ArrayList<>();

    /** The tensors referenced by the pickle, in storage-key order (key = index). */
    List<Tensor> storages() {
        return storages;
    }

    byte[] pickle(Object root) {
        out.write(0x80);
        out.write(2);
        value(root);
        out.write('.');
        return out.toByteArray();
    }

    private void value(Object v) {
        if (v == null) {
            out.write('N');
        } else if (v instanceof Tensor t) {
            tensor(t);
        } else if (v instanceof Map<?, ?> m) {
            orderedDict(m);
        } else if (v instanceof List<?> l) {
            out.write(']');
            if (!l.isEmpty()) {
                out.write('(');
                l.forEach(this::value);
                out.write('e');
            }
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Boolean b) {
            out.write(b ? 0x88 : 0x89);
        } else if (v instanceof Integer || v instanceof Long) {
            integer(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            out.write('G');
            long bits = Double.doubleToLongBits(((Number) v).doubleValue());
            for (int i = 7; i >= 0; i--) {
                out.write((int) (bits >>> (8 * i)));
            }
        } else {
            throw new IllegalArgumentException("cannot save a " + v.getClass().getSimpleName() + " in a .pt file");
        }
    }

    private void orderedDict(Map<?, ?> m) {
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        if (!m.isEmpty()) {
            out.write('(');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                value(e.getKey());
                value(e.getValue());
            }
            out.write('u');
        }
    }

    private void tensor(Tensor t) {
        DType dtype = DType.of(t.scalar_type());
        if (dtype == null) {
            throw new IllegalArgumentException("cannot save tensors of type " + t.scalar_type());
        }
        String key = Integer.toString(storages.size());
        storages.add(t);
        global("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        out.write('(');
        string("storage");
        global("torch", dtype.storageClass);
        string(key);
        string("cpu");
        integer(t.numel());
        out.write('t');
        out.write('Q');
        integer(0);
        longTuple(t.shape());
        longTuple(contiguousStrides(t.shape()));
        out.write(0x89);
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        out.write('t');
        out.write('R');
    }

    private void longTuple(long[] values) {
        out.write('(');
        for (long v : values) {
            integer(v);
        }
        out.write('t');
    }

    private static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return stride;
    }

    private void global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        int n = b.length;
        out.write(n);
        out.write(n >>> 8);
        out.write(n >>> 16);
        out.write(n >>> 24);
        out.writeBytes(b);
    }

    private void integer(long v) {
        if (v >= 0 && v < 256) {
            out.write('K');
            out.write((int) v);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)));
            }
        } else {
            out.write(0x8a);
            out.write(8);
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
        }
    }
}
