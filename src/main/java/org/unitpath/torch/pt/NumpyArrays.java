package org.unitpath.torch.pt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** NumPy arrays and scalars inside pickles (Detectron2 {@code .pkl} weights), rebuilt as tensors. */
final class NumpyArrays {
    private NumpyArrays() {}

    static boolean handles(String module, String name) {
        boolean numpy = module.equals("numpy") || module.equals("numpy.core.multiarray")
                || module.equals("numpy._core.multiarray");
        return numpy && (name.equals("_reconstruct") || name.equals("dtype") || name.equals("scalar"));
    }

    static Object construct(String name, List<Object> args) {
        return switch (name) {
            case "_reconstruct" -> new Builder();
            case "dtype" -> new NpDtype((String) args.get(0));
            default -> scalar((NpDtype) args.get(0), (byte[]) args.get(1));
        };
    }

    /** A numpy.dtype; its pickled state sets the byte order ('<', '>', '|' or '='). */
    static final class NpDtype {
        final String code;
        char order = '|';

        NpDtype(String code) {
            this.code = code;
        }

        DType dtype() {
            return DType.ofNumpy(code);
        }
    }

    /** An ndarray under construction: _reconstruct makes it, BUILD gives shape, dtype and bytes. */
    static final class Builder {
        private List<?> state;

        void setState(Object s) {
            state = (List<?>) s;
        }

        Tensor toTensor(Path file) throws PtFormatException {
            if (state == null || state.size() < 5) {
                throw new PtFormatException(file, "NumPy array without data");
            }
            List<?> shapeList = (List<?>) state.get(1);
            NpDtype np = (NpDtype) state.get(2);
            boolean fortran = Boolean.TRUE.equals(state.get(3));
            if (!(state.get(4) instanceof byte[] data)) {
                throw new PtFormatException(file, "NumPy object arrays are not supported (only numeric arrays)");
            }
            DType dtype = np.dtype();
            if (dtype == null) {
                throw new PtFormatException(file, "unsupported NumPy dtype '" + np.code + "'");
            }
            if (np.order == '>' && dtype.bytes > 1) {
                throw new PtFormatException(file, "big-endian NumPy arrays are not supported");
            }
            long[] shape = new long[shapeList.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = ((Number) shapeList.get(fortran ? shape.length - 1 - i : i)).longValue();
            }
            Tensor t = NativeCopy.fromBytes(data, dtype, shape, file);
            if (fortran && shape.length > 1) {
                long[] perm = new long[shape.length];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = perm.length - 1 - i;
                }
                t = t.permute(perm).contiguous();
            }
            return t;
        }
    }

    private static Object scalar(NpDtype np, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        DType d = np.dtype();
        if (d == null) {
            return bytes;
        }
        return switch (d) {
            case FLOAT64 -> b.getDouble();
            case FLOAT32 -> (double) b.getFloat();
            case INT64 -> b.getLong();
            case INT32 -> (long) b.getInt();
            case INT16 -> (long) b.getShort();
            case INT8 -> (long) b.get();
            case UINT8 -> (long) (b.get() & 0xff);
            case BOOL -> b.get() != 0;
            default -> bytes;
        };
    }
}
