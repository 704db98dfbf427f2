package org.unitpath.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Streams a tiled TIFF (TIFF 6.0, or BigTIFF when asked or once the file passes 4 GB) to disk:
 * pages one after another (a pyramid is several pages, reduced levels flagged in
 * NewSubfileType), tiles appended in any order as they come, each page's IFD and offset tables
 * written when the page ends. Identical tile payloads are stored once and shared by offset, so
 * blank areas cost nothing; tiles never written are filled with white (RGB) or 0 (uint32).
 * The file appears under its name only when {@link #finish()} succeeds; closing without
 * finishing deletes the temporary file.
 *
 * <pre>{@code
 * try (TiledTiffWriter w = TiledTiffWriter.create(path, TiledTiffWriter.Options.rgb(Compression.DEFLATE))) {
 *     w.startPage(new Page(width, height, OptionalDouble.of(0.25), ""));
 *     w.writeTile(col, row, tile);
 *     w.finish();
 * }
 * }</pre>
 */
public final class TiledTiffWriter implements AutoCloseable {
    public enum PixelType { RGB8, UINT32 }

    /** NONE, DEFLATE (Adobe deflate, code 8) or JPEG (code 7, RGB only, one complete JPEG stream per tile). */
    public enum Compression { NONE, DEFLATE, JPEG }

    /** Tile side (a multiple of 16), pixel type, compression, BigTIFF from the start, JPEG quality 0..1. */
    public record Options(int tileSize, PixelType pixelType, Compression compression, boolean bigTiff, float jpegQuality) {
        public Options {
            if (tileSize <= 0 || tileSize % 16 != 0 || tileSize > 4096) {
                throw new IllegalArgumentException("TIFF tile size must be a positive multiple of 16 up to 4096, got " + tileSize);
            }
            if (compression == Compression.JPEG && pixelType != PixelType.RGB8) {
                throw new IllegalArgumentException("JPEG compression needs RGB pixels");
            }
            if (!(jpegQuality > 0 && jpegQuality <= 1)) {
                throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + jpegQuality);
            }
        }

        public static Options rgb(Compression compression) {
            return new Options(256, PixelType.RGB8, compression, false, 0.9f);
        }

        public static Options labels() {
            return new Options(256, PixelType.UINT32, Compression.DEFLATE, false, 0.9f);
        }
    }

    /** A page: size, optional micrometres per pixel (written in centimetre units), optional ImageDescription. */
    public record Page(int width, int height, OptionalDouble mpp, String description) {
        public Page {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("page size must be positive, got " + width + "x" + height);
            }
            if (mpp.isPresent() && !(mpp.getAsDouble() > 0)) {
                throw new IllegalArgumentException("µm per pixel must be positive, got " + mpp.getAsDouble());
            }
        }

        public static Page of(int width, int height) {
            return new Page(width, height, OptionalDouble.empty(), "");
        }
    }

    private static final long CLASSIC_LIMIT = 0xFFFF_FFFFL;

    private final Path file;
    private final Path tmp;
    private final FileChannel ch;
    private final Options options;
    private final TileEncoder encoder;
    private final long classicLimit;
    private final Map<ByteBuffer, long[]> stored = new HashMap<>();
    private final List<TiffIfd> finished = new ArrayList<>();
    private final MessageDigest sha;
    private boolean big;
    private long end;
    private long link;
    private Page page;
    private long[] offsets;
    private long[] counts;
    private int across;
    private boolean done;

    private TiledTiffWriter(Path file, Options options, long classicLimit) throws IOException {
        this.file = file;
        this.options = options;
        this.classicLimit = classicLimit;
        this.big = options.bigTiff();
        this.encoder = new TileEncoder(options);
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.tmp = AtomicFiles.temporarySibling(file);
        this.ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        guard(this::writeHeader);
    }

    public static TiledTiffWriter create(Path file, Options options) throws IOException {
        return new TiledTiffWriter(file, options, CLASSIC_LIMIT);
    }

    /** For tests: switch to BigTIFF once the file would pass {@code classicLimit} bytes. */
    static TiledTiffWriter create(Path file, Options options, long classicLimit) throws IOException {
        return new TiledTiffWriter(file, options, classicLimit);
    }

    public boolean isBigTiff() {
        return big;
    }

    public void startPage(Page next) {
        if (page != null) {
            throw new IllegalStateException("page " + finished.size() + " is still open; call endPage first");
        }
        int ts = options.tileSize();
        across = (next.width() + ts - 1) / ts;
        int down = (next.height() + ts - 1) / ts;
        offsets = new long[Math.multiplyExact(across, down)];
        counts = new long[offsets.length];
        Arrays.fill(offsets, -1);
        page = next;
    }

    /** An RGB tile: tileSize x tileSize, or the clipped size of a right/bottom border tile. */
    public void writeTile(int col, int row, RgbImage tile) throws IOException {
        requireType(PixelType.RGB8);
        int[] size = checkTile(col, row, tile.width(), tile.height());
        byte[] payload = encoder.encode(encoder.padRgb(tile, size[0], size[1]));
        guard(() -> put(col, row, payload));
    }

    /** A uint32 tile, row-major: tileSize x tileSize values, or the clipped size of a border tile. */
    public void writeTile(int col, int row, int[] values) throws IOException {
        requireType(PixelType.UINT32);
        int ts = options.tileSize();
        int[] clipped = clippedSize(col, row);
        int w = values.length == ts * ts ? ts : clipped[0];
        int h = values.length == ts * ts ? ts : clipped[1];
        if (values.length != w * h) {
            throw new IllegalArgumentException("tile (" + col + ", " + row + ") needs " + ts * ts + " or " + w * h
                    + " values, got " + values.length);
        }
        checkTile(col, row, w, h);
        byte[] payload = encoder.encode(encoder.padInts(values, w, h));
        guard(() -> put(col, row, payload));
    }

    /** Fills the tiles never written, then writes the page's IFD and links it into the chain. */
    public void endPage() throws IOException {
        if (page == null) {
            throw new IllegalStateException("no page is open");
        }
        guard(() -> {
            byte[] fill = encoder.encode(encoder.blank());
            for (int i = 0; i < offsets.length; i++) {
                if (offsets[i] < 0) {
                    put(i % across, i / across, fill);
                }
            }
            TiffIfd ifd = encoder.ifd(page, !finished.isEmpty(), offsets, counts);
            writeIfd(ifd);
            finished.add(ifd);
            page = null;
        });
    }

    /** Ends the open page and moves the finished file into place. */
    public void finish() throws IOException {
        if (page != null) {
            endPage();
        }
        if (finished.isEmpty()) {
            throw new IllegalStateException(file + ": a TIFF needs at least one page");
        }
        guard(() -> {
            ch.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        });
    }

    /** Without {@link #finish()}, discards everything written. */
    @Override
    public void close() throws IOException {
        encoder.close();
        if (!done) {
            ch.close();
            Files.deleteIfExists(tmp);
            done = true;
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs an I/O step; on failure the temporary file is removed and the error names the target file. */
    private void guard(Step step) throws IOException {
        if (done) {
            throw new IllegalStateException(file + ": writer already finished or closed");
        }
        try {
            step.run();
        } catch (IOException e) {
            close();
            throw new IOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private void requireType(PixelType type) {
        if (options.pixelType() != type) {
            throw new IllegalArgumentException("this TIFF holds " + options.pixelType() + " pixels, not " + type);
        }
    }

    private int[] clippedSize(int col, int row) {
        if (page == null) {
            throw new IllegalStateException("no page is open; call startPage first");
        }
        int ts = options.tileSize();
        if (col < 0 || row < 0 || col >= across || row >= offsets.length / across) {
            throw new IllegalArgumentException("tile (" + col + ", " + row + ") outside the " + across + "x"
                    + offsets.length / across + " tile grid");
        }
        return new int[] {Math.min(ts, page.width() - col * ts), Math.min(ts, page.height() - row * ts)};
    }

    private int[] checkTile(int col, int row, int w, int h) {
        int[] clipped = clippedSize(col, row);
        int ts = options.tileSize();
        if (!(w == ts && h == ts) && !(w == clipped[0] && h == clipped[1])) {
            throw new IllegalArgumentException("tile (" + col + ", " + row + ") must be " + ts + "x" + ts + " or "
                    + clipped[0] + "x" + clipped[1] + ", got " + w + "x" + h);
        }
        if (offsets[row * across + col] >= 0) {
            throw new IllegalArgumentException("tile (" + col + ", " + row + ") written twice");
        }
        return new int[] {w, h};
    }

    private void put(int col, int row, byte[] payload) throws IOException {
        ByteBuffer key = ByteBuffer.wrap(sha.digest(payload));
        long[] at = stored.get(key);
        if (at == null) {
            ensureRoom(payload.length);
            at = new long[] {end, payload.length};
            write(ByteBuffer.wrap(payload), end);
            end += payload.length;
            stored.put(key, at);
        }
        offsets[row * across + col] = at[0];
        counts[row * across + col] = at[1];
    }

    private void writeHeader() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) 'I').put((byte) 'I');
        if (big) {
            h.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(0);
        } else {
            h.putShort((short) 42).putInt(0);
        }
        // 16 bytes either way, so that tile data need not move when the file becomes a BigTIFF
        write(h.clear(), 0);
        end = 16;
        link = big ? 8 : 4;
    }

    private void writeIfd(TiffIfd ifd) throws IOException {
        ensureRoom(ifd.encode(0, false).remaining() + 16L);
        long at = (end + 7) & ~7L;
        ByteBuffer b = ifd.encode(at, big);
        write(b, at);
        ByteBuffer ptr = ByteBuffer.allocate(big ? 8 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (big) {
            ptr.putLong(at);
        } else {
            ptr.putInt((int) at);
        }
        write(ptr.flip(), link);
        link = at + (big ? 8 + 20L * entries(b, true) : 2 + 12L * entries(b, false));
        end = at + b.limit();
    }

    private static long entries(ByteBuffer ifd, boolean big) {
        return big ? ifd.getLong(0) : ifd.getShort(0) & 0xffff;
    }

    /** Switches a classic file to BigTIFF before it would pass 4 GB: new header, finished IFDs rewritten. */
    private void ensureRoom(long bytes) throws IOException {
        if (big || end + bytes + (1 << 20) <= classicLimit) {
            return;
        }
        big = true;
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) 'I').put((byte) 'I').putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(0);
        write(h.clear(), 0);
        link = 8;
        for (TiffIfd ifd : finished) {
            writeIfd(ifd);
        }
    }

    private void write(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }
}
