package dev.carnival.api.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings for the whole supervisor ({@code [global]}).
 *
 * @param shutdownTimeout  bounds the whole shutdown; whatever still runs then is SIGKILLed
 * @param outputTimestamps prefix each line of a {@link OutputMode#PREFIX} service with the time
 */
public record GlobalConfig(Duration shutdownTimeout, boolean outputTimestamps) {
    /** Default: 10 s shutdown timeout, no timestamps. */
    public static final GlobalConfig DEFAULT = new GlobalConfig(Duration.ofMillis(10_000), false);

    public GlobalConfig {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative");
        }
    }
}
