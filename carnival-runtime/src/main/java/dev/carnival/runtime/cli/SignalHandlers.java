package dev.carnival.runtime.cli;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM, SIGINT and SIGHUP mean "shut down gracefully". Replacing the JVM's own handlers
 * also means no shutdown hooks race the supervisor's orderly stop: the supervisor decides when
 * and with which code the JVM exits.
 */
final class SignalHandlers {
    private static final Logger LOG = LoggerFactory.getLogger("carnival");
    private static final List<String> SHUTDOWN = List.of("TERM", "INT", "HUP");

    private SignalHandlers() {}

    static void install(Consumer<String> onShutdown) {
        for (String name : SHUTDOWN) {
            try {
                Signal.handle(new Signal(name), s -> onShutdown.accept("signal SIG" + s.getName()));
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
