package org.unitpath.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FuturesTest {
    @Test
    void rethrowsTheWorkersOwnError() throws IOException {
        assertEquals("ok", Futures.get(CompletableFuture.completedFuture("ok"), "x"));
        IOException io = new IOException("bad tile");
        assertSame(io, assertThrows(IOException.class, () -> Futures.get(CompletableFuture.failedFuture(io), "x")));
        assertSame(io, assertThrows(IOException.class,
                () -> Futures.get(CompletableFuture.failedFuture(new UncheckedIOException(io)), "x")));
        IllegalArgumentException iae = new IllegalArgumentException("bad value");
        assertSame(iae, assertThrows(IllegalArgumentException.class, () -> Futures.get(CompletableFuture.failedFuture(iae), "x")));
        Exception checked = new Exception("other");
        assertSame(checked, assertThrows(IOException.class, () -> Futures.get(CompletableFuture.failedFuture(checked), "x")).getCause());
    }

    @Test
    void anInterruptKeepsTheFlagAndSaysWhatWasAwaited() {
        Thread.currentThread().interrupt();
        InterruptedIOException e = assertThrows(InterruptedIOException.class,
                () -> Futures.get(new CompletableFuture<String>(), "reading images"));
        assertTrue(Thread.interrupted(), "the interrupt flag is kept");
        assertEquals("interrupted while reading images", e.getMessage());
    }
}
