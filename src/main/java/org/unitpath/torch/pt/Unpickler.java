package org.unitpath.torch.pt;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Reads Python pickles (protocols 2 to 5) into Java values: dict and OrderedDict to
 * LinkedHashMap, list to ArrayList, tuple to an unmodifiable List, str, int (Long or
 * BigInteger), float, bool, None, bytes; tensors of torch.save files and NumPy arrays to
 * libtorch tensors. Other classes become {@link PyObject}. Nothing is ever executed.
 */
final class Unpickler {
    /** Loads storage {@code key} of a zip checkpoint as a 1-D tensor. */
    interface StorageSource {
        Tensor storage(String key, DType dtype, long numel) throws PtFormatException;
    }

    record Global(String module, String name) {}

    private record StorageRef(String key, DType dtype, long numel) {}

    private final ByteBuffer in;
    private final StorageSource storages;
    private final Deque<Object> stack = new ArrayDeque<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    private final Map<String, Tensor> storageCache = new HashMap<>();
    private final java.nio.file.Path file;

    Unpickler(byte[] data, java.nio.file.Path file, StorageSource storages) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.file = file;
        this.storages = storages;
    }

    Object load() throws PtFormatException {
        try {
            while (true) {
                int op = in.get() & 0xff;
                if (op == '.') {
                    return finish(pop());
                }
                step(op);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new PtFormatException(file, "pickle data ends early (truncated file?)");
        } catch (ClassCastException | java.util.NoSuchElementException | IndexOutOfBoundsException e) {
            throw new PtFormatException(file, "malformed pickle data (" + e.getMessage() + ")");
        }
    }

    private void step(int op) throws PtFormatException {
        switch (op) {
            case 0x80 -> in.get(); // PROTO
            case 0x95 -> in.getLong(); // FRAME
            case '(' -> marks.push(stack.size());
            case '}' -> stack.push(new LinkedHashMap<>());
            case ']' -> stack.push(new ArrayList<>());
            case ')' -> stack.push(List.of());
            case 0x8f -> stack.push(new ArrayList<>()); // EMPTY_SET
            case 'd' -> stack.push(toDict(popMark()));
            case 'l' -> stack.push(new ArrayList<>(popMark()));
            case 't', 0x91 -> stack.push(Collections.unmodifiableList(popMark())); // TUPLE, FROZENSET
            case 0x85 -> stack.push(Collections.unmodifiableList(Arrays.asList(pop())));
            case 0x86 -> { Object b = pop(), a = pop(); stack.push(Collections.unmodifiableList(Arrays.asList(a, b))); }
            case 0x87 -> { Object c = pop(), b = pop(), a = pop(); stack.push(Collections.unmodifiableList(Arrays.asList(a, b, c))); }
            case 'a' -> { Object v = pop(); list(peek()).add(v); }
            case 'e', 0x90 -> { List<Object> items = popMark(); list(peek()).addAll(items); } // APPENDS, ADDITEMS
            case 's' -> { Object v = pop(), k = pop(); dict(peek()).put(k, v); }
            case 'u' -> { List<Object> kv = popMark(); Map<Object, Object> d = dict(peek()); for (int i = 0; i + 1 < kv.size(); i += 2) { d.put(kv.get(i), kv.get(i + 1)); } }
            case 'J' -> stack.push((long) in.getInt());
            case 'K' -> stack.push((long) (in.get() & 0xff));
            case 'M' -> stack.push((long) (in.getShort() & 0xffff));
            case 0x8a -> stack.push(readLong(in.get() & 0xff));
            case 0x8b -> stack.push(readLong(in.getInt()));
            case 'I' -> stack.push(parseIntLine(readLine()));
            case 'L' -> stack.push(new BigInteger(stripL(readLine())).longValue());
            case 'G' -> stack.push(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
            case 'F' -> stack.push(Double.parseDouble(readLine()));
            case 'X' -> stack.push(readString(in.getInt()));
            case 0x8c -> stack.push(readString(in.get() & 0xff));
            case 0x8d -> stack.push(readString(Math.toIntExact(in.getLong())));
            case 'T' -> stack.push(readBytes(in.getInt()));
            case 'U' -> stack.push(readBytes(in.get() & 0xff));
            case 'B' -> stack.push(readBytes(in.getInt()));
            case 'C' -> stack.push(readBytes(in.get() & 0xff));
            case 0x8e, 0x96 -> stack.push(readBytes(Math.toIntExact(in.getLong())));
            case 'N' -> stack.push(NONE);
            case 0x88 -> stack.push(Boolean.TRUE);
            case 0x89 -> stack.push(Boolean.FALSE);
            case 'c' -> stack.push(new Global(readLine(), readLine()));
            case 0x93 -> { String name = (String) pop(), module = (String) pop(); stack.push(new Global(module, name)); }
            case 'R' -> { List<Object> args = tuple(pop()); stack.push(call(pop(), args)); }
            case 0x81 -> { List<Object> args = tuple(pop()); stack.push(call(pop(), args)); } // NEWOBJ
            case 0x92 -> { pop(); List<Object> args = tuple(pop()); stack.push(call(pop(), args)); } // NEWOBJ_EX
            case 'b' -> { Object state = pop(); build(peek(), state); }
            case 'q' -> memo.put(in.get() & 0xff, peek());
            case 'r' -> memo.put(in.getInt(), peek());
            case 'p' -> memo.put(Integer.parseInt(readLine()), peek());
            case 0x94 -> memo.put(memo.size(), peek());
            case 'h' -> stack.push(memoGet(in.get() & 0xff));
            case 'j' -> stack.push(memoGet(in.getInt()));
            case 'g' -> stack.push(memoGet(Integer.parseInt(readLine())));
            case 'Q' -> stack.push(persistent(pop()));
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> stack.push(peek());
            default -> throw new PtFormatException(file, String.format("unsupported pickle opcode 0x%02x at byte %d",
                    op, in.position() - 1));
        }
    }

    /** Stands for Python's None on the stack, which cannot hold Java null. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private Object call(Object callable, List<Object> args) throws PtFormatException {
        if (!(callable instanceof Global g)) {
            throw new PtFormatException(file, "pickle calls a non-class object");
        }
        String qualified = g.module() + "." + g.name();
        switch (qualified) {
            case "collections.OrderedDict", "builtins.dict", "__builtin__.dict" -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) instanceof List<?> pairs) {
                    for (Object p : pairs) {
                        List<?> kv = (List<?>) p;
                        d.put(kv.get(0), kv.get(1));
                    }
                }
                return d;
            }
            case "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2" -> {
                return rebuildTensor(args);
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                return args.get(0);
            }
            case "_codecs.encode" -> {
                return ((String) args.get(0)).getBytes(StandardCharsets.ISO_8859_1);
            }
            case "builtins.set", "builtins.frozenset", "builtins.list", "__builtin__.set" -> {
                return args.isEmpty() ? new ArrayList<>() : new ArrayList<>((List<?>) args.get(0));
            }
            default -> {
                if (NumpyArrays.handles(g.module(), g.name())) {
                    return NumpyArrays.construct(g.name(), args);
                }
                return new PyObject(g.module(), g.name(), args);
            }
        }
    }

    private void build(Object target, Object state) {
        if (target instanceof NumpyArrays.Builder b) {
            b.setState(state);
        } else if (target instanceof NumpyArrays.NpDtype d && state instanceof List<?> l && l.size() > 1
                && l.get(1) instanceof String order && !order.isEmpty()) {
            d.order = order.charAt(0);
        } else if (target instanceof PyObject o) {
            o.state = state;
        }
        // an OrderedDict's state is its _metadata (module versions): not needed to load weights
    }

    private Object persistent(Object pid) throws PtFormatException {
        List<Object> id = tuple(pid);
        if (id.isEmpty() || !"storage".equals(id.get(0))) {
            throw new PtFormatException(file, "unknown persistent id " + id);
        }
        if (storages == null) {
            throw new PtFormatException(file, "tensor storage outside a zip archive: legacy torch.save format "
                    + "(PyTorch < 1.6) is not supported; re-save it with a newer PyTorch");
        }
        Global type = (Global) id.get(1);
        DType dtype = DType.ofStorageClass(type.name());
        if (dtype == null) {
            throw new PtFormatException(file, "unsupported tensor storage type " + type.module() + "." + type.name());
        }
        long numel = id.size() > 4 ? ((Number) id.get(4)).longValue() : -1;
        return new StorageRef(String.valueOf(id.get(2)), dtype, numel);
    }

    private Tensor rebuildTensor(List<Object> args) throws PtFormatException {
        StorageRef ref = (StorageRef) args.get(0);
        long offset = ((Number) args.get(1)).longValue();
        long[] size = longs(args.get(2));
        long[] stride = longs(args.get(3));
        String cacheKey = ref.key();
        Tensor storage = storageCache.get(cacheKey);
        if (storage == null) {
            storage = storages.storage(ref.key(), ref.dtype(), ref.numel());
            storageCache.put(cacheKey, storage);
        }
        long needed = offset + 1;
        for (int i = 0; i < size.length; i++) {
            needed += Math.max(0, size[i] - 1) * stride[i];
        }
        if (size.length > 0 && Arrays.stream(size).anyMatch(s -> s == 0)) {
            needed = 0;
        }
        if (needed > storage.numel()) {
            throw new PtFormatException(file, "tensor view exceeds its storage '" + ref.key() + "'");
        }
        return storage.as_strided(size, stride, new org.bytedeco.pytorch.LongOptional(offset));
    }

    /** Replaces the None marker by null and NumPy array builders by tensors, throughout the tree. */
    private Object finish(Object o) throws PtFormatException {
        if (o == NONE) {
            return null;
        }
        if (o instanceof NumpyArrays.Builder b) {
            return b.toTensor(file);
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(finish(e.getKey()), finish(e.getValue()));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object v : l) {
                out.add(finish(v));
            }
            return out;
        }
        return o;
    }

    private static long[] longs(Object tuple) {
        List<?> l = (List<?>) tuple;
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).longValue();
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> tuple(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) {
        if (o instanceof PyObject p) {
            if (!(p.state instanceof Map)) {
                p.state = new LinkedHashMap<>();
            }
            return (Map<Object, Object>) p.state;
        }
        return (Map<Object, Object>) o;
    }

    private static Map<Object, Object> toDict(List<Object> kv) {
        Map<Object, Object> d = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            d.put(kv.get(i), kv.get(i + 1));
        }
        return d;
    }

    private Object pop() {
        return stack.pop();
    }

    private Object peek() {
        return stack.peek();
    }

    private List<Object> popMark() {
        int base = marks.pop();
        List<Object> items = new ArrayList<>();
        while (stack.size() > base) {
            items.add(stack.pop());
        }
        Collections.reverse(items);
        return items;
    }

    private Object memoGet(int key) throws PtFormatException {
        Object o = memo.get(key);
        if (o == null) {
            throw new PtFormatException(file, "pickle refers to unknown memo entry " + key);
        }
        return o;
    }

    private Object readLong(int n) {
        byte[] b = new byte[n];
        in.get(b);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = b[n - 1 - i];
        }
        BigInteger v = n == 0 ? BigInteger.ZERO : new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String readString(int n) {
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private byte[] readBytes(int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String readLine() {
        StringBuilder sb = new StringBuilder();
        byte c;
        while ((c = in.get()) != '\n') {
            sb.append((char) (c & 0xff));
        }
        return sb.toString();
    }

    private static Object parseIntLine(String s) {
        return switch (s) {
            case "00" -> Boolean.FALSE;
            case "01" -> Boolean.TRUE;
            default -> Long.parseLong(s);
        };
    }

    private static String stripL(String s) {
        return s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
    }
}
