package org.unitpath.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void writesTheNumpyFormatByteForByte() throws IOException {
        Npy.IntMap map = new Npy.IntMap(2, 3, new int[] {0, 1, 2, 3, 70000, 0});
        byte[] b = Npy.encodeInt32(map);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(b, 8));
        int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "data starts 64-byte aligned, as numpy.save writes");
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith("\n"));
        ByteBuffer data = ByteBuffer.wrap(b, 10 + headerLen, 24).order(ByteOrder.LITTLE_ENDIAN);
        int[] values = new int[6];
        data.asIntBuffer().get(values);
        assertArrayEquals(map.data(), values);
        assertEquals(10 + headerLen + 24, b.length);

        Path f = dir.resolve("m.npy");
        Npy.writeInt32(f, map);
        assertArrayEquals(map.data(), Npy.read(f).data());
        assertEquals(70000, Npy.read(f).get(1, 1));
    }

    private Path npy(String descr, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        dict = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + dict.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) dict.length());
        b.put(dict.getBytes(StandardCharsets.US_ASCII)).put(data);
        Path f = dir.resolve(descr.replaceAll("\\W", "") + shape.replaceAll("\\D", "") + ".npy");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void readsOtherIntegerTypes() throws IOException {
        assertArrayEquals(new int[] {1, 2, 3, 250}, Npy.read(npy("|u1", "(2, 2)", new byte[] {1, 2, 3, (byte) 250})).data());
        assertArrayEquals(new int[] {1, 65535}, Npy.read(npy("<u2", "(1, 2)", new byte[] {1, 0, (byte) 255, (byte) 255})).data());
        assertArrayEquals(new int[] {5}, Npy.read(npy("<i8", "(1, 1)", new byte[] {5, 0, 0, 0, 0, 0, 0, 0})).data());
    }

    @Test
    void rejectsWrongDtypeShapeAndDamage() throws IOException {
        Path floats = npy("<f4", "(1, 1)", new byte[4]);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Npy.read(floats));
        assertTrue(e.getMessage().startsWith(floats.toString()) && e.getMessage().contains("'<f4'"), e.getMessage());
        Path threeD = npy("<i4", "(1, 1, 1)", new byte[4]);
        e = assertThrows(ImageFormatException.class, () -> Npy.read(threeD));
        assertTrue(e.getMessage().contains("must be 2-D"), e.getMessage());
        Path shortData = npy("<i4", "(2, 2)", new byte[8]);
        e = assertThrows(ImageFormatException.class, () -> Npy.read(shortData));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path negative = npy("<i4", "(1, 1)", new byte[] {-1, -1, -1, -1});
        assertThrows(ImageFormatException.class, () -> Npy.read(negative));
        Path text = dir.resolve("x.npy");
        Files.writeString(text, "not numpy at all");
        e = assertThrows(ImageFormatException.class, () -> Npy.read(text));
        assertTrue(e.getMessage().contains("not a NumPy"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> Npy.read(dir.resolve("none.npy")));
    }
}
