package dev.carnival.runtime.resources;

import dev.carnival.api.model.MemoryLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One replica's {@code max-memory}: fed each sample of the current run, it says when the replica
 * has stayed above its limit for {@code max-memory-for-ms}. A sample at or below the limit starts
 * the count again; so does a new run ({@link #reset}).
 */
public final class MemoryWatch {
    /** The replica used {@code usedBytes} at the sample that made it {@code lasted} over its limit. */
    public record Over(long usedBytes, Duration lasted) {}

    private final MemoryLimit limit;
    private Instant overSince;

    public MemoryWatch(MemoryLimit limit) {
        this.limit = limit;
    }

    public MemoryLimit limit() {
        return limit;
    }

    /** A sample: present once it has been over the limit long enough (then counting starts again). */
    public Optional<Over> sample(long usedBytes, Instant at) {
        if (usedBytes <= limit.bytes()) {
            overSince = null;
            return Optional.empty();
        }
        if (overSince == null) {
            overSince = at;
        }
        Duration lasted = Duration.between(overSince, at);
        if (lasted.compareTo(limit.lasting()) < 0) {
            return Optional.empty();
        }
        overSince = null;
        return Optional.of(new Over(usedBytes, lasted));
    }

    /** A new run: what the last one used does not count. */
    public void reset() {
        overSince = null;
    }
}
