package org.unitpath.io.slide;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageInputStream over a file read with positional reads, so that many threads can each
 * have their own stream on one open channel. An optional prefix of bytes is seen in front of the
 * file: stream position {@code p} is {@code prefix[p]} below the prefix's length and file byte
 * {@code p - prefix.length} from there on.
 */
final class ChannelImageStream extends ImageInputStreamImpl {
    private static final int BUFFER = 1 << 16;

    private final FileChannel ch;
    private final byte[] prefix;
    private final long fileSize;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long bufferStart = -1;

    ChannelImageStream(FileChannel ch, byte[] prefix) throws IOException {
        this.ch = ch;
        this.prefix = prefix;
        this.fileSize = ch.size();
    }

    @Override
    public long length() {
        return prefix.length + fileSize;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        if (len == 0) {
            return 0;
        }
        bitOffset = 0;
        if (streamPos < prefix.length) {
            int n = (int) Math.min(len, prefix.length - streamPos);
            System.arraycopy(prefix, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }
        long at = streamPos - prefix.length;
        if (at >= fileSize) {
            return -1;
        }
        int n;
        if (len >= BUFFER) {
            n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, fileSize - at)), at);
        } else {
            if (bufferStart < 0 || at < bufferStart || at >= bufferStart + buffer.limit()) {
                fill(at);
            }
            int from = (int) (at - bufferStart);
            n = Math.min(len, buffer.limit() - from);
            buffer.get(from, b, off, n);
        }
        if (n <= 0) {
            return -1;
        }
        streamPos += n;
        return n;
    }

    private void fill(long at) throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(BUFFER, fileSize - at));
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, at + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        bufferStart = at;
    }

    /** Leaves the channel open: it belongs to the slide. */
    @Override
    public void close() throws IOException {
        super.close();
    }
}
