package org.unitpath.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file (format 1.0 written, 1.0-3.0 read), shared by the
 * integer ({@link Npy}) and float ({@link NpyFloat}) codecs, which check dtype and shape in their
 * own terms. C order only; the data starts at {@link #dataStart}.
 */
record NpyHeader(String descr, long[] shape, long dataStart) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /**
     * The bytes numpy.save writes before the data of a C-ordered 2-D array: magic, version 1.0,
     * the dict, {@code spare} spaces (numpy >= 1.24 leaves room for the first axis to grow) and
     * padding to a multiple of 64 bytes.
     */
    static byte[] encode(String descr, long rows, long cols, int spare) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }"
                + " ".repeat(Math.max(0, spare));
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    static FileChannel open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Reads and checks the header: magic, version, a dict with descr, C order and a 2-D shape. */
    static NpyHeader read(FileChannel ch, Path file, String what) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(head, 0);
        if (head.position() < 10 || !Arrays.equals(Arrays.copyOf(head.array(), 6), MAGIC)) {
            throw new ImageFormatException(file, "not a NumPy .npy file (bad magic bytes)");
        }
        int version = head.get(6);
        if (version < 1 || version > 3) {
            throw new ImageFormatException(file, "unsupported .npy format version " + version);
        }
        long length = version == 1 ? head.getShort(8) & 0xffff : head.getInt(8) & 0xffffffffL;
        long offset = version == 1 ? 10 : 12;
        if (offset + length > ch.size() || length > 1 << 20) {
            throw new ImageFormatException(file, "truncated .npy header");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) length);
        ch.read(hb, offset);
        String text = new String(hb.array(), StandardCharsets.ISO_8859_1);
        String descr = field(DESCR, text, file, "descr");
        if (field(FORTRAN, text, file, "fortran_order").equals("True")) {
            throw new ImageFormatException(file, "Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        }
        long[] shape;
        try {
            shape = Arrays.stream(field(SHAPE, text, file, "shape").replace(" ", "").split(","))
                    .filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new ImageFormatException(file, "malformed .npy header: bad 'shape'");
        }
        if (shape.length != 2) {
            throw new ImageFormatException(file, what + " must be 2-D, got shape " + Arrays.toString(shape));
        }
        return new NpyHeader(descr, shape, offset + length);
    }

    long rows() {
        return shape[0];
    }

    long cols() {
        return shape[1];
    }

    /** Fails unless the file holds all rows x cols values of {@code elementBytes} each. */
    void checkData(FileChannel ch, Path file, int elementBytes) throws IOException {
        if (ch.size() - dataStart < rows() * cols() * elementBytes) {
            throw new ImageFormatException(file, "truncated .npy data: " + (ch.size() - dataStart) + " bytes for "
                    + rows() + "x" + cols() + " values of " + descr);
        }
    }

    private static String field(Pattern p, String header, Path file, String key) throws ImageFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new ImageFormatException(file, "malformed .npy header: no '" + key + "'");
        }
        return m.group(1);
    }
}
