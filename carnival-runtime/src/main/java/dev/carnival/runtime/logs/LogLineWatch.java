package dev.carnival.runtime.logs;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.output.LineTap;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A replica's {@code [service.readiness] log-line}: each line the replica writes (stdout or
 * stderr, decoded as UTF-8 with U+FFFD for what is not) is searched for the pattern until one
 * matches in the current run. A long line is searched piece by piece (64 KiB each), so a match
 * across two pieces is not seen.
 *
 * <p>A run's first lines may be read before the replica hears its process has started, so the
 * watch listens from the end of the previous run ({@link #open}) and remembers a match until the
 * run {@linkplain #arm arms} it. Called from the output thread (lines) and the replica's (the rest).
 */
public final class LogLineWatch implements LineTap {
    private static final Object IDLE = "idle";
    private static final Object OPEN = "open";
    private static final Object MATCHED = "matched";

    private final Pattern pattern;
    /** IDLE, OPEN, MATCHED (in OPEN), or the Runnable to call at the first match. */
    private final AtomicReference<Object> state = new AtomicReference<>(OPEN);

    public LogLineWatch(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    /**
     * The run's process has started: {@code onMatch} is called once, now if a line of this run
     * matched already, else at the first that does (on the output thread: it must not block).
     */
    public void arm(Runnable onMatch) {
        while (true) {
            Object s = state.get();
            if (s == MATCHED) {
                if (state.compareAndSet(MATCHED, IDLE)) {
                    onMatch.run();
                    return;
                }
            } else if (state.compareAndSet(s, onMatch)) {
                return;
            }
        }
    }

    /** The run is being stopped: its lines no longer count. */
    public void disarm() {
        state.set(IDLE);
    }

    /** The run has ended: lines from now on belong to the next. */
    public void open() {
        state.set(OPEN);
    }

    @Override
    public void line(ReplicaId replica, StdStream stream, byte[] bytes, int offset, int length, long millis,
                     boolean continued) {
        Object s = state.get();
        if (s == IDLE || s == MATCHED
                || !pattern.matcher(new String(bytes, offset, length, StandardCharsets.UTF_8)).find()) {
            return;
        }
        if (s == OPEN) {
            if (state.compareAndSet(OPEN, MATCHED)) {
                return;
            }
            // The run armed the watch while the line was searched: the line is that run's.
            s = state.get();
            if (s == IDLE || s == OPEN || s == MATCHED) {
                return;
            }
        }
        // Failing only when the run is being stopped (disarm): its lines no longer count.
        if (state.compareAndSet(s, IDLE)) {
            ((Runnable) s).run();
        }
    }
}
