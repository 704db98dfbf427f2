package org.unitpath.torch.pt;

import java.util.Locale;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Element types a {@code .pt} file may hold: PyTorch storage class, NumPy code, libtorch type, width. */
enum DType {
    FLOAT32("FloatStorage", "f4", ScalarType.Float, 4),
    FLOAT64("DoubleStorage", "f8", ScalarType.Double, 8),
    FLOAT16("HalfStorage", "f2", ScalarType.Half, 2),
    BFLOAT16("BFloat16Storage", null, ScalarType.BFloat16, 2),
    INT64("LongStorage", "i8", ScalarType.Long, 8),
    INT32("IntStorage", "i4", ScalarType.Int, 4),
    INT16("ShortStorage", "i2", ScalarType.Short, 2),
    INT8("CharStorage", "i1", ScalarType.Char, 1),
    UINT8("ByteStorage", "u1", ScalarType.Byte, 1),
    BOOL("BoolStorage", "b1", ScalarType.Bool, 1);

    final String storageClass;
    final String numpyCode;
    final ScalarType scalarType;
    final int bytes;

    DType(String storageClass, String numpyCode, ScalarType scalarType, int bytes) {
        this.storageClass = storageClass;
        this.numpyCode = numpyCode;
        this.scalarType = scalarType;
        this.bytes = bytes;
    }

    static DType ofStorageClass(String name) {
        if (name.equals("UntypedStorage")) {
            return UINT8;
        }
        for (DType d : values()) {
            if (d.storageClass.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** NumPy dtype strings such as {@code f4}, {@code <f4}, {@code |u1}, {@code float32}. */
    static DType ofNumpy(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        if (c.startsWith("<") || c.startsWith("|") || c.startsWith("=")) {
            c = c.substring(1);
        }
        for (DType d : values()) {
            if (c.equals(d.numpyCode) || c.equals(d.name().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        return switch (c) {
            case "bool" -> BOOL;
            case "float" -> FLOAT64;
            case "int" -> INT64;
            default -> null;
        };
    }

    static DType of(ScalarType t) {
        ScalarType interned = t.intern(); // libtorch hands out fresh enum objects
        for (DType d : values()) {
            if (d.scalarType == interned) {
                return d;
            }
        }
        return null;
    }
}
