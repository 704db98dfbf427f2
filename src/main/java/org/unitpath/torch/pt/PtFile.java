package org.unitpath.torch.pt;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Torch;

/**
 * PyTorch {@code .pt} files without Python: the zip archive {@code torch.save} writes since
 * PyTorch 1.6 (a protocol-2 pickle plus one record per tensor storage), read and written in
 * Java. Files written here load with {@code torch.load} as an OrderedDict of tensors; files
 * written by {@code torch.save} (torchvision, Detectron2 {@code .pth}) and plain pickles of
 * NumPy arrays (Detectron2 {@code .pkl}) load here.
 */
public final class PtFile {
    private static final String PREFIX = "archive/";
    private static final int ALIGNMENT = 64;
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    /** Keys under which checkpoints nest the model's state dict. */
    private static final List<String> CONTAINER_KEYS = List.of("model", "state_dict", "G_BA", "model_state_dict");

    private PtFile() {}

    /** Reads the whole object: maps, lists, strings, numbers, booleans, null, tensors, {@link PyObject}. */
    public static Object read(Path file) throws IOException {
        Torch.init();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 4) {
                throw new PtFormatException(file, "file too short to be a checkpoint");
            }
        }
        if (head[0] == 'P' && head[1] == 'K') {
            return readZip(file);
        }
        if ((head[0] & 0xff) == 0x80) {
            Object root = new Unpickler(Files.readAllBytes(file), file, null).load();
            if (LEGACY_MAGIC.equals(root)) {
                throw new PtFormatException(file, "legacy torch.save format (PyTorch < 1.6) is not supported; "
                        + "re-save it with torch.save(obj, f) in a newer PyTorch");
            }
            return root;
        }
        throw new PtFormatException(file, "not a PyTorch checkpoint (neither a torch.save zip archive nor a pickle)");
    }

    /**
     * Reads a name-to-tensor state dict. Checkpoint containers are unwrapped ({@code model},
     * {@code state_dict}, {@code G_BA}, Caffe2's {@code blobs}) and a DataParallel {@code module.} prefix is removed.
     */
    public static Map<String, Tensor> readStateDict(Path file) throws IOException {
        return findStateDict(read(file), file);
    }

    private static Map<String, Tensor> findStateDict(Object root, Path file) throws PtFormatException {
        if (!(root instanceof Map<?, ?> map)) {
            throw new PtFormatException(file, "holds a " + describe(root) + ", not a state dict");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        boolean allTensors = !map.isEmpty();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof Tensor t) {
                tensors.put(k, t);
            } else {
                allTensors = false;
            }
        }
        if (allTensors) {
            return stripPrefix(tensors, "module.");
        }
        if (map.get("blobs") instanceof Map<?, ?> blobs) {
            return caffe2Blobs(blobs, file);
        }
        for (String key : CONTAINER_KEYS) {
            if (map.get(key) instanceof Map<?, ?>) {
                return findStateDict(map.get(key), file);
            }
        }
        List<String> keys = new ArrayList<>();
        map.keySet().stream().limit(8).forEach(k -> keys.add(String.valueOf(k)));
        throw new PtFormatException(file, "no state dict found: top-level keys are " + keys
                + "; expected name -> tensor entries or a checkpoint with one of " + CONTAINER_KEYS);
    }

    /** Detectron1 / Caffe2 {@code {"blobs": {name: ndarray}}}; non-array entries (none in ImageNet files) are skipped. */
    private static Map<String, Tensor> caffe2Blobs(Map<?, ?> blobs, Path file) throws PtFormatException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        blobs.forEach((k, v) -> {
            if (k instanceof String name && v instanceof Tensor t) {
                tensors.put(name, t);
            }
        });
        if (tensors.isEmpty()) {
            throw new PtFormatException(file, "the Caffe2 'blobs' dict holds no NumPy arrays");
        }
        return tensors;
    }

    private static Map<String, Tensor> stripPrefix(Map<String, Tensor> sd, String prefix) {
        if (!sd.keySet().stream().allMatch(k -> k.startsWith(prefix))) {
            return sd;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        sd.forEach((k, v) -> out.put(k.substring(prefix.length()), v));
        return out;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof PyObject p ? p.typeName() : o.getClass().getSimpleName();
    }

    private static Object readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                String name = en.nextElement().getName();
                if (name.endsWith("data.pkl") && name.indexOf('/') == name.lastIndexOf('/')) {
                    prefix = name.substring(0, name.length() - "data.pkl".length());
                    break;
                }
            }
            if (prefix == null) {
                throw new PtFormatException(file, "zip archive without data.pkl: not a torch.save file");
            }
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String o = new String(zip.getInputStream(order).readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (!o.equals("little")) {
                    throw new PtFormatException(file, "byte order '" + o + "' is not supported");
                }
            }
            byte[] pickle = zip.getInputStream(zip.getEntry(prefix + "data.pkl")).readAllBytes();
            String p = prefix;
            Unpickler.StorageSource storages = (key, dtype, numel) -> {
                ZipEntry entry = zip.getEntry(p + "data/" + key);
                if (entry == null) {
                    throw new PtFormatException(file, "tensor storage record data/" + key + " is missing");
                }
                long n = numel >= 0 ? numel : entry.getSize() / dtype.bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    return NativeCopy.fromStream(in, dtype, n, file, "storage record data/" + key);
                } catch (PtFormatException e) {
                    throw e;
                } catch (IOException e) {
                    throw new PtFormatException(file, "cannot read storage record data/" + key + ": " + e.getMessage(), e);
                }
            };
            return new Unpickler(pickle, file, storages).load();
        } catch (ZipException e) {
            throw new PtFormatException(file, "damaged zip archive (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Writes {@code root} (a map whose values are tensors, nested maps, lists, strings,
     * numbers, booleans or null) as a {@code .pt} file. The file is written under a temporary
     * name and renamed, so an interrupted write never leaves a partial checkpoint behind.
     */
    public static void write(Path file, Map<String, ?> root) throws IOException {
        Torch.init();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try (MemoryScope s = MemoryScope.open()) {
            Pickler pickler = new Pickler();
            byte[] pickle = pickler.pickle(root);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                    CountingStream counting = new CountingStream(new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 20));
                    ZipOutputStream zip = new ZipOutputStream(counting)) {
                storedEntry(zip, counting, PREFIX + "data.pkl", pickle);
                storedEntry(zip, counting, PREFIX + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
                List<Tensor> storages = pickler.storages();
                for (int i = 0; i < storages.size(); i++) {
                    Tensor c = storages.get(i).detach().cpu().contiguous();
                    BytePointer bytes = NativeCopy.bytesOf(c);
                    ZipEntry e = alignedEntry(PREFIX + "data/" + i, counting.count, bytes.capacity(), NativeCopy.crc32(bytes));
                    zip.putNextEntry(e);
                    NativeCopy.write(bytes, zip);
                    zip.closeEntry();
                }
                storedEntry(zip, counting, PREFIX + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
                zip.finish();
                counting.flush();
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof IOException io) {
                throw new IOException(file + ": cannot write checkpoint: " + io.getMessage(), io);
            }
            throw e;
        }
    }

    private static void storedEntry(ZipOutputStream zip, CountingStream counting, String name, byte[] data) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(data);
        zip.putNextEntry(alignedEntry(name, counting.count, data.length, crc.getValue()));
        zip.write(data);
        zip.closeEntry();
    }

    /** A stored (uncompressed) entry whose data starts on a 64-byte boundary, as PyTorch writes them. */
    private static ZipEntry alignedEntry(String name, long offset, long size, long crc) {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(size);
        e.setCompressedSize(size);
        e.setCrc(crc);
        e.setTime(315532800000L + 86400000L); // fixed DOS timestamp: identical inputs give identical files
        long dataStart = offset + 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
        int pad = (int) ((ALIGNMENT - dataStart % ALIGNMENT) % ALIGNMENT);
        byte[] extra = new byte[4 + pad];
        extra[0] = 'F';
        extra[1] = 'B';
        extra[2] = (byte) pad;
        extra[3] = (byte) (pad >>> 8);
        e.setExtra(extra);
        return e;
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
