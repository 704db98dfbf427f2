package org.unitpath.torch.pt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.testing.Fixtures;
import org.unitpath.torch.F;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

class PtFileTest {
    @TempDir
    Path dir;

    private static float[] floats(Tensor t) {
        return Tensors.toFloats(t);
    }

    @Test
    void javaRoundTripKeepsNamesOrderValuesAndTypes() throws IOException {
        Torch.init();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("z.weight", Tensors.randn(4, 3, 3, 3));
        root.put("a.bias", Tensors.of(new float[] {1, 2, 3}, 3));
        root.put("counter", torch.full(new long[] {}, F.scalar(42L), new TensorOptions(ScalarType.Long)));
        root.put("half", Tensors.of(new float[] {0.5f, -2f}, 2).to(ScalarType.Half));
        root.put("mask", Tensors.of(new float[] {1, 0, 1}, 3).to(ScalarType.Bool));
        root.put("empty", Tensors.zeros(0, 5));
        root.put("transposed", Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t());
        Path file = dir.resolve("round.pt");
        PtFile.write(file, root);

        Map<String, Tensor> back = PtFile.readStateDict(file);
        assertEquals(List.copyOf(root.keySet()), List.copyOf(back.keySet()));
        for (String k : root.keySet()) {
            Tensor want = (Tensor) root.get(k);
            Tensor got = back.get(k);
            assertArrayEquals(want.shape(), got.shape(), k);
            assertEquals(want.scalar_type().intern(), got.scalar_type().intern(), k);
            assertTrue(torch.equal(want.contiguous(), got), k);
        }
        assertEquals(42, back.get("counter").item_double());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, floats(back.get("transposed")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void writesAlignedStoredZipEntriesLikeTorchSave() throws IOException {
        Path file = dir.resolve("w.pt");
        PtFile.write(file, Map.of("w", Tensors.ones(10)));
        try (var zip = new java.util.zip.ZipFile(file.toFile())) {
            List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertEquals(List.of("archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/version"), names);
            zip.stream().forEach(e -> assertEquals(java.util.zip.ZipEntry.STORED, e.getMethod()));
        }
        byte[] bytes = Files.readAllBytes(file);
        int header = indexOf(bytes, "archive/data/0".getBytes()) - 30;
        int nameLen = (bytes[header + 26] & 0xff) | (bytes[header + 27] & 0xff) << 8;
        int extraLen = (bytes[header + 28] & 0xff) | (bytes[header + 29] & 0xff) << 8;
        assertEquals(0, (header + 30 + nameLen + extraLen) % 64, "tensor data starts on a 64-byte boundary");
    }

    @Test
    void nestedCheckpointValuesRoundTrip() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", Map.of("w", Tensors.ones(2)));
        root.put("iteration", 1234567890123L);
        root.put("lr", 4e-4);
        root.put("name", "stage 1 — ünïcode");
        root.put("flags", Arrays.asList(true, null, -5L));
        Path file = dir.resolve("ckpt.pt");
        PtFile.write(file, root);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) PtFile.read(file);
        assertEquals(1234567890123L, back.get("iteration"));
        assertEquals(4e-4, back.get("lr"));
        assertEquals("stage 1 — ünïcode", back.get("name"));
        assertEquals(Arrays.asList(true, null, -5L), back.get("flags"));
        assertEquals(List.of("w"), List.copyOf(PtFile.readStateDict(file).keySet()));
    }

    @Test
    void readsAnOrderedDictWrittenByTorchSave() throws IOException {
        Map<String, Tensor> sd = PtFile.readStateDict(Fixtures.path("torch/py_state_dict.pt"));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked"), List.copyOf(sd.keySet()));
        float[] w = floats(sd.get("0.weight"));
        assertEquals(108, w.length);
        assertEquals(1.07f, w[107], 1e-6);
        assertArrayEquals(new float[] {1f, -2f, 3.5f, 0.25f}, floats(sd.get("0.bias")));
        assertEquals(ScalarType.Long, sd.get("1.num_batches_tracked").scalar_type().intern());
        assertEquals(42, sd.get("1.num_batches_tracked").item_double());
    }

    @Test
    void readsACheckpointWithViewsHalfBoolAndPythonValues() throws IOException {
        Path file = Fixtures.path("torch/py_checkpoint.pt");
        assertEquals(7, PtFile.readStateDict(file).size(), "the 'model' entry is unwrapped");
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) PtFile.read(file);
        assertEquals(7L, root.get("iteration"));
        assertEquals(1e-3, root.get("lr"));
        assertEquals("unitpath", root.get("name"));
        assertEquals(Arrays.asList(true, null), root.get("flags"));
        assertEquals(1L << 40, root.get("big"));
        @SuppressWarnings("unchecked")
        Map<String, Tensor> extras = (Map<String, Tensor>) root.get("extras");
        assertArrayEquals(new float[] {0.5f, -1.25f, 2f}, floats(extras.get("half")));
        assertArrayEquals(new long[] {4, 3}, extras.get("transposed").shape());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, floats(extras.get("transposed")));
        assertArrayEquals(new float[] {4, 5, 6, 7}, floats(extras.get("row1")));
        assertArrayEquals(new float[] {1, 0, 1}, floats(extras.get("flags")));
        assertArrayEquals(new float[] {0, 7, 255}, floats(extras.get("bytes")));
        assertEquals(0, extras.get("scalar").dim());
        assertEquals(3.25, extras.get("scalar").item_double());
    }

    @Test
    void readsDetectron2PickledNumpyWeights() throws IOException {
        for (String name : new String[] {"torch/d2_weights.pkl", "torch/d2_weights_p4.pkl"}) {
            Map<String, Tensor> sd = PtFile.readStateDict(Fixtures.path(name));
            assertEquals(List.of("stem.conv1.weight", "res2.0.conv1.norm.bias", "fortran"), List.copyOf(sd.keySet()), name);
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, floats(sd.get("stem.conv1.weight")), name);
            assertArrayEquals(new long[] {2, 3}, sd.get("stem.conv1.weight").shape());
            assertEquals(ScalarType.Double, sd.get("res2.0.conv1.norm.bias").scalar_type().intern());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, floats(sd.get("fortran")), name + " Fortran order");
        }
    }

    @Test
    void badFilesGiveErrorsNamingTheFile() throws IOException {
        assertThrows(NoSuchFileException.class, () -> PtFile.read(dir.resolve("absent.pt")));

        Path text = dir.resolve("notes.pt");
        Files.writeString(text, "these are not weights");
        PtFormatException e = assertThrows(PtFormatException.class, () -> PtFile.read(text));
        assertTrue(e.getMessage().startsWith(text.toString()) && e.getMessage().contains("not a PyTorch checkpoint"), e.getMessage());

        Path full = dir.resolve("full.pt");
        PtFile.write(full, Map.of("w", Tensors.ones(1000)));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(PtFormatException.class, () -> PtFile.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());

        Path scalars = dir.resolve("scalars.pt");
        PtFile.write(scalars, Map.of("epoch", 3L));
        e = assertThrows(PtFormatException.class, () -> PtFile.readStateDict(scalars));
        assertTrue(e.getMessage().contains("no state dict found"), e.getMessage());
    }

    @Test
    void legacyTorchSaveFormatIsRecognised() throws IOException {
        Path legacy = dir.resolve("legacy.pt");
        // the first pickle of a pre-1.6 torch.save file is its magic number, a 10-byte LONG1
        byte[] magic = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
                0x6a, (byte) 0xa8, 0x50, 0x19, '.'};
        Files.write(legacy, magic);
        PtFormatException e = assertThrows(PtFormatException.class, () -> PtFile.read(legacy));
        assertTrue(e.getMessage().contains("legacy"), e.getMessage());
    }

    @Test
    void overwritingKeepsTheOldFileUntilTheNewOneIsComplete() throws IOException {
        Path file = dir.resolve("ckpt.pt");
        PtFile.write(file, Map.of("v", Tensors.ones(3)));
        Map<String, Object> unsavable = new LinkedHashMap<>();
        unsavable.put("v", Tensors.zeros(3));
        unsavable.put("bad", new Object());
        assertThrows(IllegalArgumentException.class, () -> PtFile.write(file, unsavable));
        assertArrayEquals(new float[] {1, 1, 1}, floats(PtFile.readStateDict(file).get("v")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void valuesWithoutTensorsAreAllowedInTheTree() throws IOException {
        Path file = dir.resolve("plain.pt");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("nothing", null);
        PtFile.write(file, root);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) PtFile.read(file);
        assertTrue(back.containsKey("nothing"));
        assertNull(back.get("nothing"));
    }
}
