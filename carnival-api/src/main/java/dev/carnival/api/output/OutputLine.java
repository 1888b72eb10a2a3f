package dev.carnival.api.output;

import dev.carnival.api.model.ReplicaId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One line a replica of a captured service ({@code output} other than {@code inherit}) wrote,
 * without its line end. A line longer than 64 KiB arrives in pieces of 64 KiB; every piece after
 * the first is {@code continued}.
 *
 * @param bytes     as the process wrote them, never decoded (a copy: the caller may keep it)
 * @param time      when Carnival read it
 * @param continued true for the second and later pieces of a long line
 */
public record OutputLine(ReplicaId replica, StdStream stream, byte[] bytes, Instant time, boolean continued) {
    /** Copies {@code bytes}; rejects a null replica, stream or time. */
    public OutputLine {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(time, "time");
        bytes = bytes.clone();
    }

    /** The line's bytes, as the process wrote them; a fresh copy on each call. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The line decoded as UTF-8, each malformed byte as U+FFFD. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputLine l && replica.equals(l.replica) && stream == l.stream
                && Arrays.equals(bytes, l.bytes) && time.equals(l.time) && continued == l.continued;
    }

    @Override
    public int hashCode() {
        return Objects.hash(replica, stream, Arrays.hashCode(bytes), time, continued);
    }

    @Override
    public String toString() {
        return replica + " " + stream.id() + (continued ? " + " : " | ") + text();
    }
}
