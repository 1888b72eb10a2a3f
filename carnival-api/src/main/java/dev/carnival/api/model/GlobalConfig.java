package dev.carnival.api.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings for the whole supervisor ({@code [global]}).
 *
 * @param shutdownTimeout  bounds the whole shutdown; whatever still runs then is SIGKILLed
 * @param outputTimestamps prefix each line of a {@link OutputMode#PREFIX} service with the time
 * @param controlSocket    {@code control-socket}: the control socket's path, or {@code "off"};
 *                         empty when not given (the {@code carnival} command then decides). An
 *                         embedded supervisor opens no socket.
 * @param httpListen       {@code http-listen}: {@code HOST:PORT} of the read-only HTTP endpoint,
 *                         if one is wanted. An embedded supervisor opens none.
 */
public record GlobalConfig(Duration shutdownTimeout, boolean outputTimestamps, Optional<String> controlSocket,
                           Optional<String> httpListen) {
    /** Default: 10 s shutdown timeout, no timestamps. */
    public static final GlobalConfig DEFAULT = new GlobalConfig(Duration.ofMillis(10_000), false);

    /** Without a control socket or HTTP endpoint setting. */
    public GlobalConfig(Duration shutdownTimeout, boolean outputTimestamps) {
        this(shutdownTimeout, outputTimestamps, Optional.empty(), Optional.empty());
    }

    public GlobalConfig {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(controlSocket, "controlSocket");
        Objects.requireNonNull(httpListen, "httpListen");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative");
        }
    }
}
