package dev.carnival.api.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings for the whole supervisor ({@code [global]}).
 *
 * @param shutdownTimeout  bounds the whole shutdown; whatever still runs then is SIGKILLed
 * @param outputTimestamps prefix each line of a {@link OutputMode#PREFIX} service with the time
 * @param env              variables set for every init command and service on top of Carnival's
 *                         own environment: the {@code env-file}s' in order, then the {@code env}
 *                         table's (a config's env files are read when it is loaded)
 * @param controlSocket    {@code control-socket}: the control socket's path, or {@code "off"};
 *                         empty when not given (the {@code carnival} command then decides). An
 *                         embedded supervisor opens no socket.
 * @param httpListen       {@code http-listen}: {@code HOST:PORT} of the read-only HTTP endpoint,
 *                         if one is wanted. An embedded supervisor opens none.
 * @param monitoring       {@code log-format}, {@code log-buffer-lines}, {@code resource-period-ms}
 * @param drain            {@code drain-ms}: on a graceful shutdown, how long readiness fails
 *                         (phase {@code draining}) before any service is told to stop;
 *                         {@code shutdownTimeout} counts from its end
 * @param reload           {@code reload-signal} and {@code watch-config}
 */
public record GlobalConfig(Duration shutdownTimeout, boolean outputTimestamps, Map<String, String> env,
                           Optional<String> controlSocket, Optional<String> httpListen, Monitoring monitoring,
                           Duration drain, ReloadTriggers reload) {
    /** Default: 10 s shutdown timeout, no timestamps, no variables. */
    public static final GlobalConfig DEFAULT = new GlobalConfig(Duration.ofMillis(10_000), false);

    /** Rejects a negative timeout or drain; checks the variables as {@link EnvVars} does. */
    public GlobalConfig {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(controlSocket, "controlSocket");
        Objects.requireNonNull(httpListen, "httpListen");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(reload, "reload");
        if (shutdownTimeout.isNegative() || drain.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout and drain must not be negative");
        }
        env = EnvVars.checked(env, "[global] env");
    }

    /** Settings with the default {@link Monitoring}, no drain and no reload triggers. */
    public GlobalConfig(Duration shutdownTimeout, boolean outputTimestamps, Map<String, String> env,
                        Optional<String> controlSocket, Optional<String> httpListen) {
        this(shutdownTimeout, outputTimestamps, env, controlSocket, httpListen, Monitoring.DEFAULT, Duration.ZERO,
                ReloadTriggers.NONE);
    }

    /** Settings without a control socket, HTTP endpoint or drain setting. */
    public GlobalConfig(Duration shutdownTimeout, boolean outputTimestamps, Map<String, String> env) {
        this(shutdownTimeout, outputTimestamps, env, Optional.empty(), Optional.empty());
    }

    /** Settings that set no variables. */
    public GlobalConfig(Duration shutdownTimeout, boolean outputTimestamps) {
        this(shutdownTimeout, outputTimestamps, Map.of());
    }
}
