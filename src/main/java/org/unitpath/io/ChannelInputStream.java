package org.unitpath.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A buffered stream over {@code length} bytes of a file starting at {@code start}, read with
 * positional reads so that many threads can stream different tiles of one open channel.
 */
final class ChannelInputStream extends InputStream {
    private final FileChannel ch;
    private final long end;
    private long position;
    private final ByteBuffer buffer;

    ChannelInputStream(FileChannel ch, long start, long length) {
        this.ch = ch;
        this.position = start;
        this.end = start + length;
        this.buffer = ByteBuffer.allocate((int) Math.max(1, Math.min(1 << 16, length)));
        buffer.limit(0);
    }

    @Override
    public int read() throws IOException {
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) {
        long inBuffer = Math.min(n, buffer.remaining());
        buffer.position(buffer.position() + (int) inBuffer);
        long rest = Math.min(n - inBuffer, end - position);
        position += rest;
        return inBuffer + rest;
    }

    private boolean fill() throws IOException {
        if (position >= end) {
            return false;
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), end - position));
        int n = ch.read(buffer, position);
        if (n <= 0) {
            buffer.limit(0);
            return false;
        }
        position += n;
        buffer.flip();
        return true;
    }
}
