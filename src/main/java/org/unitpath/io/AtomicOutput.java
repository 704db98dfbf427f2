package org.unitpath.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file written as a stream over a long job (a slide's GeoJSON, say) under a hidden temporary
 * name beside it, and renamed to its final name only by {@link #commit}: an interrupted job never
 * leaves a partial file under the final name. Closing without committing deletes the temporary file.
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path file;
    private final Path tmp;
    private final OutputStream out;
    private boolean done;

    private AtomicOutput(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.tmp = AtomicFiles.temporarySibling(file);
        this.out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                1 << 16);
    }

    public static AtomicOutput open(Path file) throws IOException {
        return new AtomicOutput(file);
    }

    public Path file() {
        return file;
    }

    /** The stream to write to; buffered. */
    public OutputStream stream() {
        return out;
    }

    /** Flushes, closes and moves the file into place (replacing an older one). */
    public void commit() throws IOException {
        if (done) {
            throw new IllegalStateException(file + ": already committed or closed");
        }
        try {
            out.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } catch (IOException e) {
            close();
            throw new IOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Without {@link #commit}, discards what was written. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            try {
                out.close();
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
