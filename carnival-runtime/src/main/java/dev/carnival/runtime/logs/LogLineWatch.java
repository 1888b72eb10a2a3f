package dev.carnival.runtime.logs;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.output.LineTap;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A replica's {@code [service.readiness] log-line}: while armed for a run, each line the replica
 * writes (stdout or stderr, decoded as UTF-8 with U+FFFD for what is not) is searched for the
 * pattern, and the first match calls back once and disarms. A long line is searched piece by
 * piece (64 KiB each), so a match across two pieces is not seen.
 */
public final class LogLineWatch implements LineTap {
    private final Pattern pattern;
    private final AtomicReference<Runnable> armed = new AtomicReference<>();

    public LogLineWatch(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    /** From now on (a run starts), the next matching line calls {@code onMatch}, on the output thread: it must not block. */
    public void arm(Runnable onMatch) {
        armed.set(onMatch);
    }

    /** The run ended: its later lines cannot make it ready. */
    public void disarm() {
        armed.set(null);
    }

    @Override
    public void line(ReplicaId replica, StdStream stream, byte[] bytes, int offset, int length, long millis,
                     boolean continued) {
        Runnable onMatch = armed.get();
        if (onMatch != null && pattern.matcher(new String(bytes, offset, length, StandardCharsets.UTF_8)).find()
                && armed.compareAndSet(onMatch, null)) {
            onMatch.run();
        }
    }
}
