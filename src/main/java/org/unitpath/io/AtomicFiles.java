package org.unitpath.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a file under a temporary name in its folder, then renames it: readers never see half a file. */
public final class AtomicFiles {
    /** The body of a write. */
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code file}; with {@code sync} the data reaches the disk before the rename (checkpoints). */
    public static void write(Path file, boolean sync, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = temporarySibling(file);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.write(out);
                out.flush();
                if (sync) {
                    ch.force(true);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof IOException io) {
                throw new IOException(file + ": cannot write: " + io.getMessage(), io);
            }
            throw e;
        }
    }

    /**
     * A fresh hidden name beside {@code file}. Created with CREATE_NEW (default permissions after
     * umask), unlike createTempFile whose 0600 would make shared datasets unreadable to others.
     */
    public static Path temporarySibling(Path file) {
        String suffix = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        return file.toAbsolutePath().resolveSibling("." + file.getFileName() + "." + suffix + ".tmp");
    }

    public static void write(Path file, byte[] data) throws IOException {
        write(file, false, out -> out.write(data));
    }
}
