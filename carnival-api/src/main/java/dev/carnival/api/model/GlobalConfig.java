package dev.carnival.api.model;

import java.time.Duration;
import java.util.Objects;

/** Settings for the whole supervisor ({@code [global]}). */
public record GlobalConfig(Duration shutdownTimeout) {
    /** Default: 10 s shutdown timeout. */
    public static final GlobalConfig DEFAULT = new GlobalConfig(Duration.ofMillis(10_000));

    public GlobalConfig {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative");
        }
    }
}
