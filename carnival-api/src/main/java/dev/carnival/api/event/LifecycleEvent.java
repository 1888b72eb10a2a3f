package dev.carnival.api.event;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.JobStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.Signal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Something that happened in a supervisor's life. Every event is immutable. Every fact the
 * supervisor reports is one of these: its log lines are written from events alone, so an
 * embedder's listener sees the same story as the log, including why a supervisor stopped with a
 * non-zero exit code.
 */
public sealed interface LifecycleEvent {

    /** When it happened. */
    Instant at();

    /** The supervisor is starting; {@code processControl} says how it runs processes. */
    record SupervisorStarted(Instant at, String processControl) implements LifecycleEvent {}

    /** Init command number {@code index} (1-based) is starting. */
    record InitStarted(Instant at, int index, List<String> commandLine) implements LifecycleEvent {}

    /** Init command {@code index} exited with code 0. */
    record InitFinished(Instant at, int index, List<String> commandLine, Duration took) implements LifecycleEvent {}

    /** Init command {@code index} failed, could not start, or was interrupted; nothing after it runs. */
    record InitFailed(Instant at, int index, List<String> commandLine, String reason) implements LifecycleEvent {}

    /**
     * The checks made before services start found problems (a command not found, a working
     * directory missing); no service starts. Each problem is one line naming where it was configured.
     */
    record PreflightFailed(Instant at, List<String> problems) implements LifecycleEvent {
        /** Copies the problems. */
        public PreflightFailed {
            problems = List.copyOf(problems);
        }
    }

    /** The config has no service replicas: the supervisor is done once the init commands are. */
    record NoServices(Instant at) implements LifecycleEvent {}

    /** A replica's process started; {@code restartCount} is 0 for its first run. */
    record ProcessStarted(Instant at, ReplicaId replica, long pid, int restartCount) implements LifecycleEvent {}

    /** A replica's process could not be started (e.g. the command is missing). */
    record SpawnFailed(Instant at, ReplicaId replica, String reason) implements LifecycleEvent {}

    /** A replica's process ended. */
    record ProcessExited(Instant at, ReplicaId replica, long pid, ExitStatus status, Duration uptime)
            implements LifecycleEvent {}

    /**
     * A process did not stop within {@code after} of its stop signal and gets SIGKILL.
     * {@code leaderExited} is true when its group leader had exited and what is left of the group
     * is killed. {@code subject} names it ({@code web[0]}, {@code init command 1}).
     */
    record StopEscalated(Instant at, String subject, Signal signal, Duration after, boolean leaderExited)
            implements LifecycleEvent {}

    /** A replica will run again after {@code delay}; {@code restartCount} counts this restart. */
    record RestartScheduled(Instant at, ReplicaId replica, int restartCount, Duration delay)
            implements LifecycleEvent {}

    /** A replica will not run again (unless an operator starts it). */
    record ReplicaStopped(Instant at, ReplicaId replica, StopReason reason, String detail)
            implements LifecycleEvent {}

    /** A replica waits for its dependencies; {@code waitingFor} lists the conditions not met yet. */
    record DependencyWait(Instant at, ReplicaId replica, List<String> waitingFor) implements LifecycleEvent {
        /** Copies the conditions. */
        public DependencyWait {
            waitingFor = List.copyOf(waitingFor);
        }
    }

    /** A dependency of a replica stopped for good without meeting its condition. */
    record DependencyFailed(Instant at, ReplicaId replica, String dependency, String detail)
            implements LifecycleEvent {}

    /** A replica became ready or stopped being ready ({@code detail} says what its probe saw). */
    record ReadinessChanged(Instant at, ReplicaId replica, boolean ready, String detail) implements LifecycleEvent {}

    /** A replica's liveness probe failed {@code failures} times in a row: its process is stopped. */
    record LivenessFailed(Instant at, ReplicaId replica, int failures, String detail) implements LifecycleEvent {}

    /**
     * A replica's process group stayed above its {@code max-memory} ({@code limitBytes}) for
     * {@code lasting} (its max-memory-for-ms; resident memory, sampled; {@code usedBytes} at the last
     * sample): it is stopped gracefully, and its restart policy decides as after any exit.
     */
    record MemoryLimitExceeded(Instant at, ReplicaId replica, long usedBytes, long limitBytes, Duration lasting)
            implements LifecycleEvent {
        private static final String[] UNITS = {"B", "KiB", "MiB", "GiB"};

        /** {@code used 612 MiB, over max-memory 512 MiB for 30 s}: both sizes in the limit's unit. */
        public String describe() {
            int unit = UNITS.length - 1;
            while (unit > 0 && limitBytes % (1L << 10 * unit) != 0) {
                unit--;
            }
            long scale = 1L << 10 * unit;
            double used = (double) usedBytes / scale;
            // Whole units, as the limit is written; decimals where rounding would hide that it is over.
            boolean whole = usedBytes % scale == 0 || used >= 10 && Math.round(used) > limitBytes / scale;
            String usedText = whole ? Long.toString(Math.round(used)) : decimals(usedBytes, scale, limitBytes / scale);
            long ms = lasting.toMillis();
            return "used " + usedText + " " + UNITS[unit] + ", over max-memory " + limitBytes / scale + " "
                    + UNITS[unit] + " for " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms");
        }

        /** {@code bytes / scale} with one decimal, or as many more as it takes to read as over {@code limit}. */
        private static String decimals(long bytes, long scale, long limit) {
            BigDecimal exact = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(scale)); // a power of two: exact
            BigDecimal over = BigDecimal.valueOf(limit);
            BigDecimal shown = exact.setScale(1, RoundingMode.HALF_UP);
            for (int d = 2; shown.compareTo(over) <= 0 && d <= 10; d++) {
                shown = exact.setScale(d, RoundingMode.HALF_UP);
            }
            return shown.toPlainString();
        }
    }

    /**
     * An operator asked for {@code operation} ({@code stop}, {@code start}, {@code restart},
     * {@code signal SIGHUP}) on {@code target}; {@code origin} says who ({@code socket}, {@code api}).
     */
    record OperatorRequest(Instant at, String operation, String target, String origin) implements LifecycleEvent {}

    /**
     * A reload asked for by {@code origin} ({@code socket}, {@code signal SIGHUP}, {@code watch},
     * {@code api}) was carried out: in full, or up to a halted rollout ({@code result.halted()}).
     */
    record ReloadApplied(Instant at, String origin, dev.carnival.api.reload.ReloadResult result)
            implements LifecycleEvent {}

    /** A reload asked for by {@code origin} found these problems in the config file; nothing was applied. */
    record ReloadRejected(Instant at, String origin, List<String> problems) implements LifecycleEvent {
        public ReloadRejected {
            problems = List.copyOf(problems);
        }
    }

    /** {@code signal} (received by the supervisor) was forwarded to {@code processes} running processes. */
    record SignalForwarded(Instant at, Signal signal, int processes) implements LifecycleEvent {}

    /** The supervisor began shutting down; {@code cause} says why (e.g. "signal SIGTERM"). */
    record ShutdownRequested(Instant at, String cause) implements LifecycleEvent {}

    /**
     * A scheduled job's firing is over for one replica: its run ended with {@code result} (success
     * or failure, after its policy's retries), or it was skipped because the last run still ran.
     */
    record JobResult(Instant at, ReplicaId replica, JobStatus.Result result,
                     java.util.Optional<Instant> nextRun) implements LifecycleEvent {}

    /** A shutdown's drain began: for {@code drain} readiness fails and nothing is stopped. */
    record Draining(Instant at, Duration drain) implements LifecycleEvent {}

    /** A second shutdown request ({@code cause}) ended the drain early. */
    record DrainCut(Instant at, String cause) implements LifecycleEvent {}

    /** A second shutdown request during the shutdown: what is left of the grace period is skipped. */
    record ShutdownHastened(Instant at, String cause) implements LifecycleEvent {}

    /**
     * {@code shutdown-timeout-ms} passed with these still running ({@code web[0]}...); they get
     * SIGKILL. {@code stillRunning} also names replicas whose plugin code has not returned.
     */
    record ShutdownTimedOut(Instant at, Duration timeout, List<String> stillRunning) implements LifecycleEvent {
        /** Copies the names. */
        public ShutdownTimedOut {
            stillRunning = List.copyOf(stillRunning);
        }
    }

    /** The supervisor stops although these had not been seen to exit even after SIGKILL. */
    record ShutdownIncomplete(Instant at, List<String> remaining) implements LifecycleEvent {
        /** Copies the names. */
        public ShutdownIncomplete {
            remaining = List.copyOf(remaining);
        }
    }

    /**
     * At its end the supervisor stopped {@code count} processes that services had left running
     * (daemons in a finished service's group; as PID 1 or subreaper, any descendant).
     */
    record LeftoversStopped(Instant at, int count) implements LifecycleEvent {}

    /** A bug in Carnival itself (not in a plugin): the supervisor stops with exit code 70. */
    record InternalError(Instant at, String detail) implements LifecycleEvent {}

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
        POLICY_ERROR,
        /** An operator stopped it. */
        OPERATOR,
        /** A dependency stopped for good without meeting its condition. */
        DEPENDENCY,
        /** Carnival itself failed while supervising it. */
        INTERNAL_ERROR
    }
}
