package dev.carnival.runtime.logs;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;

/**
 * A captured line as a service's buffer keeps it. Internal: {@code bytes} is shared, never
 * changed, never handed out.
 *
 * @param seq       its place among every captured line of the supervisor, from 0
 * @param millis    when it was read, epoch milliseconds
 * @param continued a later piece of a line longer than 64 KiB
 */
public record BufferedLine(long seq, ReplicaId replica, StdStream stream, long millis, boolean continued,
                           byte[] bytes) {}
