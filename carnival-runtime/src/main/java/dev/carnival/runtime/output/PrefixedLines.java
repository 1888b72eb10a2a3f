package dev.carnival.runtime.output;

import dev.carnival.runtime.process.OutputSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Turns one stream of a replica into whole lines on a {@link LineTarget} (a {@link Console}): {@code web[0] | line},
 * optionally after a UTC timestamp. Bytes pass through unchanged (no decoding, so output that is
 * not UTF-8 survives). A line longer than {@link #MAX_LINE} is not buffered without bound: it is
 * written in pieces of that size, and every piece after the first has {@code +} where the
 * first has {@code |}, so the pieces can be told apart and joined back.
 */
public final class PrefixedLines implements OutputSink {
    /** The longest line kept in memory before it is written in pieces. */
    public static final int MAX_LINE = 64 * 1024;
    private static final byte[] NONE = {};

    private final LineTarget console;
    private final byte[] prefix;
    private final byte[] continuation;
    private final LongSupplier clock;
    // Both grow on demand: a replica that prints nothing, or short lines, must not hold 72 KiB
    // for each of its two streams (1000 replicas would hold 140 MiB).
    private byte[] partial = NONE;
    private int partialLength;
    private boolean continuing;
    private byte[] out = NONE;
    private int outLength;
    private long stampMillis = Long.MIN_VALUE;
    private byte[] stamp = new byte[0];

    /**
     * @param name       what goes before the separator, e.g. {@code web[0]}
     * @param timestamps put the time (UTC, milliseconds) before each line
     */
    public PrefixedLines(LineTarget console, String name, boolean timestamps) {
        this(console, name, timestamps ? System::currentTimeMillis : null);
    }

    PrefixedLines(LineTarget console, String name, LongSupplier clock) {
        this.console = console;
        this.prefix = (name + " | ").getBytes(StandardCharsets.UTF_8);
        this.continuation = (name + " + ").getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                line(bytes, start, i - start);
                start = i + 1;
            }
        }
        while (start < end) {
            int n = Math.min(end - start, MAX_LINE - partialLength);
            keep(bytes, start, n);
            start += n;
            if (partialLength == MAX_LINE) {
                emit(partial, 0, MAX_LINE);
                partialLength = 0;
                continuing = true;
            }
        }
        drain();
    }

    @Override
    public synchronized void flush() {
        if (partialLength > 0) {
            emit(partial, 0, partialLength);
            partialLength = 0;
        }
        continuing = false;
        drain();
    }

    private void line(byte[] bytes, int start, int length) {
        if (continuing && partialLength == 0 && length == 0) {
            // The line ended exactly where a piece did: it has been written whole already.
            continuing = false;
            return;
        }
        if (partialLength > 0) {
            // The line began in an earlier read: join it, writing in pieces if it grows too long.
            int n = Math.min(length, MAX_LINE - partialLength);
            keep(bytes, start, n);
            emit(partial, 0, partialLength);
            partialLength = 0;
            if (n < length) {
                continuing = true;
                pieces(bytes, start + n, length - n);
            }
        } else {
            pieces(bytes, start, length);
        }
        continuing = false;
    }

    /** Appends to the unfinished line; the caller keeps it within {@link #MAX_LINE}. */
    private void keep(byte[] bytes, int start, int length) {
        if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(MAX_LINE, Math.max(partialLength + length, 2 * partial.length)));
        }
        System.arraycopy(bytes, start, partial, partialLength, length);
        partialLength += length;
    }

    private void pieces(byte[] bytes, int start, int length) {
        while (length > MAX_LINE) {
            emit(bytes, start, MAX_LINE);
            continuing = true;
            start += MAX_LINE;
            length -= MAX_LINE;
        }
        emit(bytes, start, length);
    }

    private void emit(byte[] bytes, int start, int length) {
        byte[] head = continuing ? continuation : prefix;
        byte[] time = timestamp();
        ensure(time.length + head.length + length + 1);
        System.arraycopy(time, 0, out, outLength, time.length);
        outLength += time.length;
        System.arraycopy(head, 0, out, outLength, head.length);
        outLength += head.length;
        System.arraycopy(bytes, start, out, outLength, length);
        outLength += length;
        out[outLength++] = '\n';
    }

    private byte[] timestamp() {
        if (clock == null) {
            return stamp;
        }
        long now = clock.getAsLong();
        if (now != stampMillis) {
            stampMillis = now;
            stamp = Stamps.TIME.format(Instant.ofEpochMilli(now)).getBytes(StandardCharsets.US_ASCII);
        }
        return stamp;
    }

    /** Made on first use: java.time.format is some 50 classes that a config without timestamps never needs. */
    private static final class Stamps {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z' ")
                .withZone(ZoneOffset.UTC);
    }

    private void ensure(int more) {
        if (outLength + more > out.length) {
            out = Arrays.copyOf(out, Math.max(Math.max(out.length * 2, 256), outLength + more));
        }
    }

    private void drain() {
        if (outLength == 0) {
            return; // no whole line yet: do not take the console's lock for nothing
        }
        console.write(out, 0, outLength);
        outLength = 0;
        if (out.length > 1 << 20) {
            out = NONE;
        }
    }
}
