package dev.carnival.cli;

import dev.carnival.runtime.supervise.CarnivalSupervisor;
import dev.carnival.cli.control.Reloading;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The command-line supervisor's signals. SIGTERM, SIGINT and SIGHUP mean "shut down gracefully",
 * except the {@code [global] reload-signal} (SIGHUP, SIGUSR1 or SIGUSR2), which reloads the config;
 * during a drain ({@code drain-ms}) a second one ends the drain; a second SIGTERM or SIGINT during
 * the stopping skips the rest of the grace period. SIGUSR1,
 * SIGUSR2 and SIGWINCH are forwarded to every running service. Replacing the JVM's own handlers
 * also means no shutdown hooks race the supervisor's orderly stop: the supervisor decides when and
 * with which code the JVM exits.
 */
final class SignalHandlers {
    private static final Logger LOG = LoggerFactory.getLogger("carnival");
    private static final List<String> SHUTDOWN = List.of("TERM", "INT", "HUP");
    private static final List<String> FORWARDED = List.of("USR1", "USR2", "WINCH");

    private SignalHandlers() {}

    static void install(CarnivalSupervisor supervisor, Optional<dev.carnival.api.model.Signal> reloadSignal,
                        Reloading reloading) {
        String reloadName = reloadSignal.map(dev.carnival.api.model.Signal::name).orElse("");
        for (String name : SHUTDOWN) {
            if (name.equals(reloadName)) {
                continue;
            }
            handle(name, s -> {
                String cause = "signal SIG" + s.getName();
                if (supervisor.requestShutdown(cause) || supervisor.endDrain("second " + cause)) {
                    return;
                }
                if (!name.equals("HUP")) {
                    supervisor.killNow("second " + cause + " during shutdown");
                } else {
                    LOG.info("Received SIGHUP while already shutting down");
                }
            });
        }
        if (!reloadName.isEmpty()) {
            String origin = "signal SIG" + reloadName;
            // Off the signal thread: a reload waits for rollouts. What it did is logged by its event.
            handle(reloadName, s -> Thread.ofVirtual().name("carnival-reload").start(() ->
                    reloading.reload(false, origin).exceptionally(e -> {
                        LOG.warn("Reload ({}) refused: {}", origin, e.getCause() == null ? e : e.getCause().getMessage());
                        return null;
                    })));
        }
        for (String name : FORWARDED) {
            if (name.equals(reloadName)) {
                continue;
            }
            dev.carnival.api.model.Signal signal = dev.carnival.api.model.Signal.valueOf(name);
            handle(name, s -> supervisor.forward(signal));
        }
    }

    private static void handle(String name, sun.misc.SignalHandler handler) {
        try {
            Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIG{}: {}", name, e.getMessage());
        }
    }
}
