package dev.carnival.cli.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/** Reads newline-terminated lines from a channel, each at most a given number of bytes. */
final class LineReader {
    /** A line longer than the limit: the rest of the stream cannot be framed any more. */
    static final class TooLongException extends IOException {
        TooLongException(int limit) {
            super("request longer than " + limit + " bytes");
        }
    }

    private final ReadableByteChannel in;
    private final int limit;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private byte[] line = new byte[512];
    private int length;

    LineReader(ReadableByteChannel in, int limit) {
        this.in = in;
        this.limit = limit;
        buffer.flip();
    }

    /** The next line without its newline, valid until the next call ({@link #length()} bytes); null at end of stream. */
    byte[] next() throws IOException {
        length = 0;
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line;
                }
                if (length == limit) {
                    throw new TooLongException(limit);
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(limit, line.length * 2));
                }
                line[length++] = b;
            }
            buffer.clear();
            int n = in.read(buffer);
            buffer.flip();
            if (n < 0) {
                return length > 0 ? line : null;
            }
        }
    }

    int length() {
        return length;
    }
}
