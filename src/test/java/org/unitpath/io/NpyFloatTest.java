package org.unitpath.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.testing.Fixtures;

class NpyFloatTest {
    @TempDir
    Path dir;

    private static float[] fixtureValues() {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = (i - 5.5f) / 4f;
        }
        v[0] = 1e-30f;
        v[11] = -3.25e7f;
        return v;
    }

    @Test
    void writesExactlyWhatNumpySaveWrites() throws IOException {
        NpyFloat.Matrix m = new NpyFloat.Matrix(3, 4, fixtureValues());
        Path numpy = Fixtures.path("npy/float32_3x4.npy");
        assertArrayEquals(Files.readAllBytes(numpy), NpyFloat.encode(m), "byte for byte");
        Path empty = Fixtures.path("npy/float32_0x8.npy");
        assertArrayEquals(Files.readAllBytes(empty), NpyFloat.encode(new NpyFloat.Matrix(0, 8, new float[0])));
        assertEquals(0, NpyFloat.header(123456, 2048).length % 64, "data 64-byte aligned");
    }

    @Test
    void roundTripsAndReadsNumpyFiles() throws IOException {
        NpyFloat.Matrix m = NpyFloat.read(Fixtures.path("npy/float32_3x4.npy"));
        assertEquals(3, m.rows());
        assertEquals(4, m.cols());
        assertArrayEquals(fixtureValues(), m.data());
        assertEquals(-3.25e7f, m.get(2, 3));
        assertArrayEquals(new float[] {0.625f, 0.875f, 1.125f, -3.25e7f}, m.row(2));

        NpyFloat.Matrix d = NpyFloat.read(Fixtures.path("npy/float64_2x3.npy"));
        assertArrayEquals(new float[] {0.5f, -1f, 2f, 1e-3f, 7f, -0.25f}, d.data());
        assertArrayEquals(new int[] {0, 8}, NpyFloat.shape(Fixtures.path("npy/float32_0x8.npy")));

        Path f = dir.resolve("x.npy");
        NpyFloat.write(f, m);
        assertArrayEquals(m.data(), NpyFloat.read(f).data());
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Path ints = dir.resolve("ints.npy");
        Npy.writeInt32(ints, new Npy.IntMap(1, 2, new int[] {1, 2}));
        IOException e = assertThrows(IOException.class, () -> NpyFloat.read(ints));
        assertTrue(e.getMessage().startsWith(ints + ": dtype '<i4'"), e.getMessage());

        Path junk = dir.resolve("junk.npy");
        Files.writeString(junk, "not numpy at all");
        e = assertThrows(IOException.class, () -> NpyFloat.read(junk));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());

        Path cut = dir.resolve("cut.npy");
        byte[] full = NpyFloat.encode(new NpyFloat.Matrix(2, 2, new float[] {1, 2, 3, 4}));
        Files.write(cut, java.util.Arrays.copyOf(full, full.length - 3));
        e = assertThrows(IOException.class, () -> NpyFloat.read(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
