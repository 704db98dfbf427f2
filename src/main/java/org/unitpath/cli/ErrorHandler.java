package org.unitpath.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns an exception into one clear line on stderr and an exit code; {@code --debug} adds the stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler {
    private final BooleanSupplier debug;

    ErrorHandler(BooleanSupplier debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
        var err = cli.getErr();
        int code = exitCode(ex);
        String line = code == ExitCodes.INTERNAL
                ? "internal error: " + ex + (debug.getAsBoolean() ? "" : " (run with --debug for details)")
                : message(ex);
        err.println("unitpath: error: " + line);
        if (debug.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof IOException || ex instanceof java.io.UncheckedIOException || ex instanceof IllegalArgumentException) {
            return ExitCodes.BAD_INPUT;
        }
        if (ex instanceof InterruptedException) {
            return ExitCodes.INTERRUPTED;
        }
        if (ex instanceof ArithmeticException || ex instanceof IllegalStateException) {
            return ExitCodes.RUNTIME;
        }
        if (ex instanceof RuntimeException && ex.getClass().getName().equals("java.lang.RuntimeException")
                && ex.getMessage() != null) {
            return ExitCodes.RUNTIME; // libtorch errors arrive as plain RuntimeExceptions
        }
        return ExitCodes.INTERNAL;
    }

    static String message(Throwable ex) {
        if (ex instanceof NoSuchFileException e) {
            return e.getFile() + ": no such file";
        }
        if (ex instanceof AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        if (ex instanceof FileSystemException e && e.getReason() != null) {
            return e.getFile() + ": " + e.getReason();
        }
        String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl); // libtorch appends a C++ backtrace after the first line
    }
}
