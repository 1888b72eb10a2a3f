package dev.carnival.runtime.output;

import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.process.OutputSink;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Turns one stream of a replica into whole lines: each is written to a {@link LineTarget} (a
 * {@link Console}) in its {@link LineFormat}, and handed to a {@link LineTap} (the service's
 * buffer, listeners). Bytes pass through unchanged (no decoding, so output that is not UTF-8
 * survives). A line longer than {@link #MAX_LINE} is not buffered without bound: it is
 * written in pieces of that size, and every piece after the first is marked as continued (in
 * {@code prefix}, {@code +} where the first has {@code |}), so the pieces can be told apart and
 * joined back.
 */
public final class CapturedLines implements OutputSink {
    /** The longest line kept in memory before it is written in pieces. */
    public static final int MAX_LINE = 64 * 1024;
    private static final byte[] NONE = {};

    private final LineTarget target;
    private final LineFormat format;
    private final LineTap tap;
    private final ReplicaId replica;
    private final StdStream stream;
    private final LongSupplier clock;
    // Both grow on demand: a replica that prints nothing, or short lines, must not hold 72 KiB
    // for each of its two streams (1000 replicas would hold 140 MiB).
    private byte[] partial = NONE;
    private int partialLength;
    private boolean continuing;
    private final LineFormat.Buffer out = new LineFormat.Buffer();
    // The lines for the tap, handed on together at the end of a write (one lock for the buffer's store).
    private final LineBatch batch = new LineBatch();
    private long now;

    /**
     * @param target where the formatted lines go; null for none (the tap only)
     * @param tap    what else sees each line, or {@link LineTap#NONE}
     * @param clock  the time of the lines (read once per write), in epoch milliseconds
     */
    public CapturedLines(LineTarget target, LineFormat format, LineTap tap, ReplicaId replica, StdStream stream,
                         LongSupplier clock) {
        this.target = target;
        this.format = format;
        this.tap = tap;
        this.replica = replica;
        this.stream = stream;
        this.clock = clock;
    }

    /**
     * The sink of one stream of a replica whose output is {@code mode} (not inherit): lines in
     * that mode to {@code console}, and to {@code tap}.
     *
     * @param timestamps {@code output-timestamps}: the time before each line in prefix mode
     */
    public static CapturedLines of(OutputMode mode, boolean timestamps, LineTarget console, LineTap tap,
                                   ReplicaId replica, StdStream stream) {
        LineFormat format = switch (mode) {
            case PREFIX -> new LineFormat.Prefix(replica.toString(), timestamps);
            case RAW -> LineFormat.RAW;
            case JSON -> new LineFormat.Json(replica, stream);
            case INHERIT -> throw new IllegalArgumentException("inherited output is not captured");
        };
        return new CapturedLines(console, format, tap, replica, stream, System::currentTimeMillis);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        now = clock.getAsLong();
        int end = offset + length;
        int start = offset;
        for (int i; (i = ByteScan.newline(bytes, start, end)) >= 0; start = i + 1) {
            line(bytes, start, i - start);
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
            now = clock.getAsLong();
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
        if (batch.bytes() == partial) {
            handOn(); // before its lines' bytes are written over
        }
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
        if (target != null) {
            format.append(out, bytes, start, length, continuing, now);
        }
        if (tap != LineTap.NONE && !batch.add(bytes, start, length, continuing)) {
            handOn();
            batch.add(bytes, start, length, continuing);
        }
    }

    private void handOn() {
        if (batch.count() > 0) {
            tap.lines(replica, stream, batch, now);
            batch.clear();
        }
    }

    private void drain() {
        handOn();
        if (out.length() == 0) {
            return; // no whole line yet: do not take the console's lock for nothing
        }
        target.write(out.bytes(), 0, out.length());
        out.clear();
    }
}
