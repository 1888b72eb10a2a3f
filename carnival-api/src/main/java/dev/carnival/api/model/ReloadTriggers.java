package dev.carnival.api.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What makes the {@code carnival} command reload its config besides {@code carnival reload}
 * ({@code [global] reload-signal}, {@code watch-config}). An embedded supervisor reloads only when
 * its host calls {@code Supervisor.reload}.
 *
 * @param signal      the signal that reloads instead of shutting down (SIGHUP, SIGUSR1 or SIGUSR2), if any
 * @param watchConfig reload when the config file or one of its env files changes
 */
public record ReloadTriggers(Optional<Signal> signal, boolean watchConfig) {
    /** Neither: SIGHUP means shutdown, as in the original. */
    public static final ReloadTriggers NONE = new ReloadTriggers(Optional.empty(), false);

    public ReloadTriggers {
        Objects.requireNonNull(signal, "signal");
        if (signal.isPresent() && signal.get() != Signal.HUP && signal.get() != Signal.USR1
                && signal.get() != Signal.USR2) {
            throw new IllegalArgumentException("reload-signal must be SIGHUP, SIGUSR1 or SIGUSR2");
        }
    }
}
