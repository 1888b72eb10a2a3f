package dev.carnival.api.model;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code max-memory}: a replica whose process group's resident memory stays above {@code bytes}
 * for {@code lasting} is stopped gracefully, and its restart policy decides as after any exit.
 *
 * @param lasting {@code max-memory-for-ms}; zero means at the first sample above the limit
 */
public record MemoryLimit(long bytes, Duration lasting) {
    /** How long a replica may stay above its limit when {@code max-memory-for-ms} is not given. */
    public static final Duration DEFAULT_LASTING = Duration.ofMillis(30_000);

    /** Rejects a limit of zero bytes or less and a negative {@code lasting}. */
    public MemoryLimit {
        Objects.requireNonNull(lasting, "lasting");
        if (bytes <= 0 || lasting.isNegative()) {
            throw new IllegalArgumentException("max-memory must be > 0 and max-memory-for-ms >= 0");
        }
    }
}
