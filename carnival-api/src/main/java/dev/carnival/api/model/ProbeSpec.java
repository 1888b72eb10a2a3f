package dev.carnival.api.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A readiness or liveness probe as configured ({@code [service.readiness]}), with Kubernetes'
 * semantics: the first check after {@code initialDelay}, then one every {@code period}, each cut
 * at {@code timeout}; {@code successThreshold} consecutive successes make a replica pass,
 * {@code failureThreshold} consecutive failures make it fail.
 *
 * <p>{@code notify = true} and {@code log-line} are the readinesses that are not polled: with the
 * first the replica tells Carnival it is ready with {@code READY=1} on {@code $NOTIFY_SOCKET}
 * (sd_notify, see {@link #notifyReadiness()}); with the second a line of its output matches.
 *
 * @param probe   the provider's name: {@code exec}, {@code http}, {@code tcp}, {@code log-line}, a plugin's,
 *                or {@link #NOTIFY}
 * @param target  the argv of {@code exec}, the URL of {@code http}, the address of {@code tcp}, the
 *                regular expression of {@code log-line}; empty for a plugin's
 * @param options a plugin probe's {@code options} table
 */
public record ProbeSpec(String probe, List<String> target, Map<String, String> options, Duration period,
                        Duration timeout, Duration initialDelay, int successThreshold, int failureThreshold) {
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(1000);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(1000);
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    /**
     * Not a probe run on a timer: the replica is ready once a line of its current run's captured
     * output matches the {@link java.util.regex.Pattern} in {@code target} (readiness only).
     */
    public static final String LOG_LINE = "log-line";
    /** The name of sd_notify readiness ({@code notify = true}); no provider may take it. */
    public static final String NOTIFY = "notify";

    /**
     * Copies the target and options; rejects a period or timeout that is not positive, a negative
     * initial delay, a threshold below 1, and a {@link #LOG_LINE} target that is not one valid
     * regular expression.
     */
    public ProbeSpec {
        Objects.requireNonNull(probe, "probe");
        target = List.copyOf(target);
        options = Map.copyOf(options);
        if (period.isNegative() || period.isZero() || timeout.isNegative() || timeout.isZero()
                || initialDelay.isNegative()) {
            throw new IllegalArgumentException("probe period and timeout must be > 0, initial delay >= 0");
        }
        if (successThreshold < 1 || failureThreshold < 1) {
            throw new IllegalArgumentException("probe thresholds must be >= 1");
        }
        if (probe.equals(LOG_LINE)) {
            if (target.size() != 1) {
                throw new IllegalArgumentException("a log-line probe's target is one regular expression");
            }
            Pattern.compile(target.getFirst()); // a PatternSyntaxException is an IllegalArgumentException
        }
    }

    /** Ready when a line of the current run matches {@code regex} ({@link #LOG_LINE}). */
    public static ProbeSpec logLine(String regex) {
        return of(LOG_LINE, List.of(regex));
    }

    /** True for a {@link #LOG_LINE} readiness. */
    public boolean isLogLine() {
        return probe.equals(LOG_LINE);
    }

    /** Readiness by sd_notify: {@code READY=1} on the replica's {@code $NOTIFY_SOCKET}. Timings are unused. */
    public static ProbeSpec notifyReadiness() {
        return of(NOTIFY, List.of());
    }

    /** Whether this is {@link #notifyReadiness()} rather than a probe Carnival runs. */
    public boolean notifies() {
        return probe.equals(NOTIFY);
    }

    /** A probe with the default timings. */
    public static ProbeSpec of(String probe, List<String> target) {
        return new ProbeSpec(probe, target, Map.of(), DEFAULT_PERIOD, DEFAULT_TIMEOUT, Duration.ZERO,
                DEFAULT_SUCCESS_THRESHOLD, DEFAULT_FAILURE_THRESHOLD);
    }
}
