package dev.carnival.api.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How Carnival watches its services as a whole ({@code [global]}): its own log's format, how much
 * captured output it keeps, how often it samples resources.
 *
 * @param logFormat      {@code log-format}: Carnival's own lines as text or JSON
 * @param logBufferLines {@code log-buffer-lines}: the last lines kept per captured service (0: none),
 *                       unless the service sets its own
 * @param resourcePeriod {@code resource-period-ms}: how often every replica's CPU and memory are
 *                       read; zero turns sampling off
 */
public record Monitoring(LogFormat logFormat, int logBufferLines, Duration resourcePeriod) {
    /** Text log, 1000 lines per service, a sample every 5 s. */
    public static final Monitoring DEFAULT = new Monitoring(LogFormat.TEXT, 1000, Duration.ofMillis(5000));

    /** Rejects a negative line count or sampling period. */
    public Monitoring {
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(resourcePeriod, "resourcePeriod");
        if (logBufferLines < 0 || resourcePeriod.isNegative()) {
            throw new IllegalArgumentException("log-buffer-lines and resource-period-ms must not be negative");
        }
    }

    /** True when resources are sampled. */
    public boolean sampling() {
        return !resourcePeriod.isZero();
    }
}
