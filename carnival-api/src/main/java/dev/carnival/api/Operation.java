package dev.carnival.api;

import java.util.Locale;
import java.util.Objects;

/**
 * An operator's request to a running supervisor, carried out by {@link Supervisor#perform}: what to
 * do, to which target, and who asked. A target is a service name ({@code web}), meaning each of its
 * replicas, or one replica as {@code NAME/INDEX} ({@code web/1}).
 */
public sealed interface Operation {

    /** The service or {@code NAME/INDEX} replica the operation applies to. */
    String target();

    /** Who asked; events and log lines name it. */
    Origin origin();

    /** The lower-case name of what is done, as events report it ({@code stop}, {@code signal SIGHUP}). */
    default String describe() {
        return switch (this) {
            case Stop o -> "stop";
            case Start o -> "start";
            case Restart o -> "restart";
            case SendSignal o -> "signal " + o.signal().signalName();
        };
    }

    /** Where an operation came from. */
    enum Origin {
        /** A program embedding Carnival, through {@link Supervisor}. */
        API,
        /** The {@code carnival} command's control socket. */
        SOCKET;

        /** The lower-case name events and log lines use. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Stops the target's processes (stop-signal, then SIGKILL after stop-timeout-ms) and keeps them
     * stopped until a {@link Start}. Never triggers a critical shutdown. Completes when every
     * process of the target has exited.
     */
    record Stop(String target, Origin origin) implements Operation {
        /** Rejects a null target or origin. */
        public Stop {
            check(target, origin);
        }
    }

    /**
     * Runs a stopped target again, also one that finished for good (by policy or restart-limit),
     * with a fresh restart-limit count. Completes when its processes have been started (or failed
     * to). Running replicas are left alone.
     */
    record Start(String target, Origin origin) implements Operation {
        /** Rejects a null target or origin. */
        public Start {
            check(target, origin);
        }
    }

    /** Stop, then start, whatever the restart policy says. */
    record Restart(String target, Origin origin) implements Operation {
        /** Rejects a null target or origin. */
        public Restart {
            check(target, origin);
        }
    }

    /** Sends {@code signal} to the process group of each running replica of the target. */
    record SendSignal(String target, dev.carnival.api.model.Signal signal, Origin origin) implements Operation {
        /** Rejects a null target, signal or origin. */
        public SendSignal {
            check(target, origin);
            Objects.requireNonNull(signal, "signal");
        }
    }

    private static void check(String target, Origin origin) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(origin, "origin");
    }
}
