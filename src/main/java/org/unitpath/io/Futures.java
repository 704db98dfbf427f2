package org.unitpath.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a worker's result and getting back the error it failed with, not a wrapper of it. */
public final class Futures {
    private Futures() {}

    /**
     * The future's value. A worker's IOException (also inside an UncheckedIOException), runtime
     * exception or error is rethrown as itself; an interrupt keeps the thread's flag and becomes an
     * InterruptedIOException "interrupted while {@code waitingFor}".
     */
    public static <T> T get(Future<T> future, String waitingFor) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while " + waitingFor);
            io.initCause(e);
            throw io;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }
}
