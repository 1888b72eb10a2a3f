package dev.carnival.cli.control;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.logs.BufferedLine;
import dev.carnival.runtime.logs.LogBuffers;
import dev.carnival.runtime.output.LineFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's answer to {@code logs}: one JSON line per captured line, as {@code output = "json"}
 * writes them ({@code time}, {@code service}, {@code replica}, {@code stream}, {@code line},
 * {@code continued}), {@code {"lost": N}} where this client fell behind and N lines were lost to
 * it, and {@code {"ok": true}} at the end: after the buffered lines, or with {@code follow}, once
 * the supervisor stops. A client that does not read blocks only this connection's thread; the
 * services and the buffers never wait for it.
 */
final class LogStream {
    private static final byte[] END = "{\"ok\":true}\n".getBytes(StandardCharsets.US_ASCII);
    /** How long a follower waits for a line before it looks again (it wakes at once for a line). */
    private static final long WAIT_SECONDS = 5;

    private final WritableByteChannel out;
    private final Map<ReplicaId, LineFormat[]> formats = new HashMap<>();
    private final LineFormat.Buffer buffer = new LineFormat.Buffer();

    LogStream(WritableByteChannel out) {
        this.out = out;
    }

    /** Streams until done; an IOException means the client went away. */
    void run(LogBuffers.Follower follower, boolean follow) throws IOException, InterruptedException {
        while (true) {
            LogBuffers.Batch batch = follower.next(WAIT_SECONDS, TimeUnit.SECONDS);
            if (batch.lost() > 0) {
                byte[] lost = ("{\"lost\":" + batch.lost() + "}\n").getBytes(StandardCharsets.US_ASCII);
                buffer.put(lost, 0, lost.length);
            }
            for (BufferedLine line : batch.lines()) {
                format(line).append(buffer, line.bytes(), 0, line.bytes().length, line.continued(), line.millis());
                if (buffer.length() >= 64 * 1024) {
                    flush();
                }
            }
            if (!follow || (batch.lines().isEmpty() && follower.closed())) {
                buffer.put(END, 0, END.length);
                flush();
                return;
            }
            flush();
        }
    }

    private LineFormat format(BufferedLine line) {
        LineFormat[] both = formats.computeIfAbsent(line.replica(), r -> new LineFormat[] {
                new LineFormat.Json(r, StdStream.STDOUT), new LineFormat.Json(r, StdStream.STDERR)});
        return both[line.stream().ordinal()];
    }

    private void flush() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer.bytes(), 0, buffer.length());
        while (b.hasRemaining()) {
            out.write(b);
        }
        buffer.clear();
    }
}
