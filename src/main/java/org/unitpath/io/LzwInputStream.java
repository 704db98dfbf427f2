package org.unitpath.io;

import java.io.IOException;
import java.io.InputStream;

/** Decodes TIFF LZW (MSB-first codes of 9 to 12 bits, code width grows one code early, as libtiff writes it). */
final class LzwInputStream extends InputStream {
    private static final int CLEAR = 256;
    private static final int END = 257;
    private static final int TABLE = 4096;

    private final InputStream in;
    private final int[] prefix = new int[TABLE];
    private final byte[] suffix = new byte[TABLE];
    private final byte[] firstByte = new byte[TABLE];
    private final int[] length = new int[TABLE];
    private final byte[] string = new byte[TABLE];
    private int bits;
    private int bitCount;
    private int next;
    private int width;
    private int old = -1;
    private int pos;
    private int len;
    private boolean done;

    LzwInputStream(InputStream in) {
        this.in = in;
        for (int i = 0; i < 256; i++) {
            suffix[i] = (byte) i;
            firstByte[i] = (byte) i;
            length[i] = 1;
        }
        clearTable();
    }

    private void clearTable() {
        next = 258;
        width = 9;
        old = -1;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        int total = 0;
        while (total < n) {
            if (pos == len) {
                if (done || !decodeNext()) {
                    return total == 0 ? -1 : total;
                }
                continue;
            }
            int k = Math.min(n - total, len - pos);
            System.arraycopy(string, pos, b, off + total, k);
            pos += k;
            total += k;
        }
        return total;
    }

    /** Decodes one code into {@code string}; false at the end of the data. */
    private boolean decodeNext() throws IOException {
        int code = code();
        while (code == CLEAR) {
            clearTable();
            code = code();
        }
        if (code == END) {
            done = true;
            return false;
        }
        if (old < 0) {
            if (code > 255) {
                throw new IOException("damaged LZW data (code " + code + " after a clear code)");
            }
            emit(code);
        } else if (code < next) {
            emit(code);
            add(old, firstByte[code]);
        } else if (code == next) {
            add(old, firstByte[old]);
            emit(code);
        } else {
            throw new IOException("damaged LZW data (code " + code + " beyond table size " + next + ")");
        }
        old = code;
        return true;
    }

    private void emit(int code) {
        len = length[code];
        pos = 0;
        for (int i = len - 1, c = code; i >= 0; i--, c = prefix[c]) {
            string[i] = suffix[c];
        }
    }

    private void add(int prefixCode, byte c) {
        if (next >= TABLE) {
            return;
        }
        prefix[next] = prefixCode;
        suffix[next] = c;
        firstByte[next] = firstByte[prefixCode];
        length[next] = length[prefixCode] + 1;
        next++;
        if (next == (1 << width) - 1 && width < 12) {
            width++;
        }
    }

    /** The next code; a missing end-of-information code at the end of the data counts as one. */
    private int code() throws IOException {
        while (bitCount < width) {
            int b = in.read();
            if (b < 0) {
                return END;
            }
            bits = (bits << 8) | b;
            bitCount += 8;
        }
        bitCount -= width;
        int code = (bits >>> bitCount) & ((1 << width) - 1);
        bits &= (1 << bitCount) - 1;
        return code;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
