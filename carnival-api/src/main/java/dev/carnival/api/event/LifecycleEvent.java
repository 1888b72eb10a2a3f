package dev.carnival.api.event;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Something that happened in a supervisor's life. Every event is immutable. */
public sealed interface LifecycleEvent {

    /** When it happened. */
    Instant at();

    /** Init command number {@code index} (1-based) is starting. */
    record InitStarted(Instant at, int index, List<String> commandLine) implements LifecycleEvent {}

    /** Init command {@code index} exited with code 0. */
    record InitFinished(Instant at, int index, List<String> commandLine, Duration took) implements LifecycleEvent {}

    /** Init command {@code index} failed, could not start, or was interrupted; nothing after it runs. */
    record InitFailed(Instant at, int index, List<String> commandLine, String reason) implements LifecycleEvent {}

    /** A replica's process started; {@code restartCount} is 0 for its first run. */
    record ProcessStarted(Instant at, ReplicaId replica, long pid, int restartCount) implements LifecycleEvent {}

    /** A replica's process could not be started (e.g. the command is missing). */
    record SpawnFailed(Instant at, ReplicaId replica, String reason) implements LifecycleEvent {}

    /** A replica's process ended. */
    record ProcessExited(Instant at, ReplicaId replica, long pid, ExitStatus status, Duration uptime)
            implements LifecycleEvent {}

    /** A replica will run again after {@code delay}; {@code restartCount} counts this restart. */
    record RestartScheduled(Instant at, ReplicaId replica, int restartCount, Duration delay)
            implements LifecycleEvent {}

    /** A replica will not run again. */
    record ReplicaStopped(Instant at, ReplicaId replica, StopReason reason, String detail)
            implements LifecycleEvent {}

    /** The supervisor began shutting down; {@code cause} says why (e.g. "signal SIGTERM"). */
    record ShutdownRequested(Instant at, String cause) implements LifecycleEvent {}

    /** The supervisor is done and will exit with {@code exitCode}. Always the last event. */
    record SupervisorStopped(Instant at, int exitCode) implements LifecycleEvent {}

    /** Why a replica stopped for good. */
    enum StopReason {
        /** Its restart policy said stop. */
        POLICY,
        /** It ran {@code restart-limit} times. */
        RESTART_LIMIT,
        /** The supervisor is shutting down. */
        SHUTDOWN,
        /** Its policy failed while deciding. */
        POLICY_ERROR
    }
}
