package example.backoff;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.restart.PolicyOptions;
import java.time.Duration;

/** The validated options of one service's failure window. */
record WindowOptions(int maxFailures, Duration window) {
    static final int DEFAULT_MAX_FAILURES = 5;
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

    /** Reads every option, so Carnival reports any other key as unknown. */
    static WindowOptions read(PolicyOptions options) throws ConfigException {
        long max = options.number("max-failures", DEFAULT_MAX_FAILURES);
        if (max < 1 || max > 10_000) {
            // Worded like PolicyOptions' own errors, so users see one style whichever check failed.
            throw new ConfigException(options.location(),
                    "restart option 'max-failures' must be a whole number from 1 to 10000, got '" + max + "'");
        }
        Duration window = options.millis("window-ms", DEFAULT_WINDOW);
        if (window.isZero()) {
            throw new ConfigException(options.location(), "restart option 'window-ms' must be > 0, got '0'");
        }
        return new WindowOptions((int) max, window);
    }
}
