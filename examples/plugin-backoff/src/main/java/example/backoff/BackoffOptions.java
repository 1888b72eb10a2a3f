package example.backoff;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.restart.PolicyOptions;
import java.time.Duration;
import java.util.Optional;

/**
 * The validated options of one service's backoff.
 *
 * @param initialDelay empty to start at the service's own {@code restart-delay-ms}
 * @param restartOn    which exits are restarted
 */
record BackoffOptions(Optional<Duration> initialDelay, double factor, Duration maxDelay, Duration resetAfter,
        RestartOn restartOn) {

    static final double DEFAULT_FACTOR = 2.0;
    static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);
    static final Duration DEFAULT_RESET_AFTER = Duration.ofSeconds(10);

    /** Which exits lead to a restart. */
    enum RestartOn {
        /** Only exits that are not code 0 (being killed by a signal is a failure). */
        FAILURE,
        /** Every exit. */
        ALWAYS
    }

    /** Reads every option, so Carnival reports any other key as unknown. */
    static BackoffOptions read(PolicyOptions options) throws ConfigException {
        Optional<Duration> initial = options.text("initial-delay-ms").isPresent()
                ? Optional.of(options.millis("initial-delay-ms", Duration.ZERO))
                : Optional.empty();
        double factor = options.decimal("factor", DEFAULT_FACTOR);
        if (factor < 1) {
            throw bad(options, "factor", "a number >= 1", options.text("factor").orElseThrow());
        }
        Duration max = options.millis("max-delay-ms", DEFAULT_MAX_DELAY);
        if (initial.isPresent() && initial.get().compareTo(max) > 0) {
            throw new ConfigException(options.location(), "restart option 'initial-delay-ms' (" + initial.get().toMillis()
                    + ") must not be greater than 'max-delay-ms' (" + max.toMillis() + ")");
        }
        Duration resetAfter = options.millis("reset-after-ms", DEFAULT_RESET_AFTER);
        String on = options.text("on").map(String::strip).orElse("failure");
        RestartOn restartOn = switch (on) {
            case "failure" -> RestartOn.FAILURE;
            case "always" -> RestartOn.ALWAYS;
            default -> throw bad(options, "on", "\"failure\" or \"always\"", on);
        };
        return new BackoffOptions(initial, factor, max, resetAfter, restartOn);
    }

    // Worded like PolicyOptions' own errors, so users see one style whichever check failed.
    private static ConfigException bad(PolicyOptions options, String key, String expected, String value) {
        return new ConfigException(options.location(),
                "restart option '" + key + "' must be " + expected + ", got '" + value + "'");
    }
}
