package dev.carnival.runtime.supervise;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.runtime.depend.Dependencies.Gate;
import dev.carnival.runtime.process.ChildProcess;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What moves a replica: a closed set. Messages that answer something a state armed (a timer, an
 * exit watch, a dependency wait, a policy call, a probe) are {@link Armed}: they carry the epoch
 * of the state entry that armed them, and the driver drops them once that state has been left.
 * That is the one rule for stale messages.
 */
sealed interface Message {

    /** The messages, one constant per record. */
    enum Kind {
        BEGIN, DEPENDENCIES_SETTLED, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, DECIDED,
        TIMEOUT, GROUP_CHECKED, SHUTDOWN_REQUESTED, SHUTDOWN, KILL, FORWARD, OPERATOR, FIRE, SIDE_EXITED,
        SIDE_TIMEOUT, RECONFIGURE
    }

    Kind kind();

    /** A message for the state entry numbered {@link #epoch()}, and for no other. */
    sealed interface Armed extends Message {
        long epoch();
    }

    /** The timers a state may start; each dies with the state that started it. */
    enum Timer { RESTART_DELAY, STOP_TIMEOUT, REMNANT_CHECK }

    /** The supervisor is done with the init commands: run. */
    record Begin() implements Message {
        @Override
        public Kind kind() {
            return Kind.BEGIN;
        }
    }

    /** Its dependencies' conditions hold, or one never will ({@link Gate.Failed}). */
    record DependenciesSettled(long epoch, Gate gate) implements Armed {
        @Override
        public Kind kind() {
            return Kind.DEPENDENCIES_SETTLED;
        }
    }

    /** The driver's spawn returned {@code child}; handled before anything else. */
    record Spawned(long epoch, ChildProcess child, long begunNanos, long startedNanos) implements Armed {
        @Override
        public Kind kind() {
            return Kind.SPAWNED;
        }
    }

    /** The driver's spawn failed with {@code reason}; handled before anything else. */
    record SpawnFailed(long epoch, String reason, long begunNanos) implements Armed {
        @Override
        public Kind kind() {
            return Kind.SPAWN_FAILED;
        }
    }

    /** The reaper reports the state's process exited. */
    record Exited(long epoch, ExitStatus status) implements Armed {
        @Override
        public Kind kind() {
            return Kind.EXITED;
        }
    }

    /** Process control could not report how the state's process ended (it was closed under it). */
    record ExitUnknown(long epoch, String error) implements Armed {
        @Override
        public Kind kind() {
            return Kind.EXIT_UNKNOWN;
        }
    }

    /** The process's liveness probe failed failure-threshold times in a row. */
    record LivenessFailed(long epoch) implements Armed {
        @Override
        public Kind kind() {
            return Kind.LIVENESS_FAILED;
        }
    }

    /** The restart policy decided, or threw {@code error} (then {@code decision} is null). */
    record Decided(long epoch, RestartDecision decision, RuntimeException error) implements Armed {
        @Override
        public Kind kind() {
            return Kind.DECIDED;
        }
    }

    /** {@code timer} of the state is over. */
    record Timeout(long epoch, Timer timer) implements Armed {
        @Override
        public Kind kind() {
            return Kind.TIMEOUT;
        }
    }

    /** Whether anything is left of the process group whose leader has exited; handled before anything else. */
    record GroupChecked(long epoch, boolean remains) implements Armed {
        @Override
        public Kind kind() {
            return Kind.GROUP_CHECKED;
        }
    }

    /** The supervisor is shutting down: nothing starts any more (its stop comes with {@link Shutdown}). */
    record ShutdownRequested() implements Message {
        @Override
        public Kind kind() {
            return Kind.SHUTDOWN_REQUESTED;
        }
    }

    /** Stop for the shutdown: every replica depending on this one's service has stopped. */
    record Shutdown() implements Message {
        @Override
        public Kind kind() {
            return Kind.SHUTDOWN;
        }
    }

    /** The supervisor's grace period is over: SIGKILL to the process group, once. */
    record Kill() implements Message {
        @Override
        public Kind kind() {
            return Kind.KILL;
        }
    }

    /** {@code signal} from outside, for the process if one runs; {@code sent} says whether one did. */
    record Forward(Signal signal, CompletableFuture<Boolean> sent) implements Message {
        @Override
        public Kind kind() {
            return Kind.FORWARD;
        }
    }

    /** A scheduled job's schedule fired; the run was due at {@code due}. */
    record Fire(Instant due) implements Message {
        @Override
        public Kind kind() {
            return Kind.FIRE;
        }
    }

    /**
     * A run started beside the main one ({@code overlap = "allow"}) exited ({@code status} null:
     * not reported). The driver's: side runs are no state of the machine.
     */
    record SideExited(ChildProcess child, ExitStatus status) implements Message {
        @Override
        public Kind kind() {
            return Kind.SIDE_EXITED;
        }
    }

    /** The stop timeout of a side run told to stop is over (the driver's, as {@link SideExited}). */
    record SideTimeout(ChildProcess child) implements Message {
        @Override
        public Kind kind() {
            return Kind.SIDE_TIMEOUT;
        }
    }

    /** An operator's request; {@code done} completes once it has been carried out. */
    record Operator(Op op, String origin, CompletableFuture<Void> done) implements Message {
        /** What an operator may ask of a replica. */
        enum Op { STOP, START, RESTART }

        @Override
        public Kind kind() {
            return Kind.OPERATOR;
        }
    }

    /**
     * A reload's new settings for this replica, taken by the driver between two messages: the
     * process that runs keeps running; the next one is made from them. The transition never sees it.
     */
    record Reconfigure(Replica.Setup setup, boolean inPlace, CompletableFuture<Void> done) implements Message {
        @Override
        public Kind kind() {
            return Kind.RECONFIGURE;
        }
    }
}
