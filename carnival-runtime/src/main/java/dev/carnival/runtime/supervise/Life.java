package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.runtime.process.ChildProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Where a replica is: a closed set of immutable states, each holding all it needs, history
 * included. {@link Transition} maps a state and a {@link Message} to the next; {@link #kind()}
 * is what it switches on (see {@link Transition} for why not a pattern switch).
 */
sealed interface Life {

    /** The states, one constant per record. */
    enum Kind { PENDING, WAITING, STARTING, RUNNING, DECIDING, BACKOFF, STOPPING, STOPPED, SCHEDULED }

    Kind kind();

    History history();

    /**
     * What a replica has been through, carried from state to state.
     *
     * @param run      the number of the current or next run since the last (re)start, from 1:
     *                 what the restart limit counts
     * @param restarts every restart since the supervisor began, operator restarts included
     * @param lastExit how the latest process ended, or null
     * @param closing  the supervisor is shutting down: nothing starts any more
     */
    record History(int run, int restarts, ExitStatus lastExit, boolean closing) {
        static final History FIRST = new History(1, 0, null, false);

        History exited(ExitStatus status) {
            return new History(run, restarts, status, closing);
        }

        History nextRun() {
            return new History(run + 1, restarts + 1, lastExit, closing);
        }

        /** An operator's start: a fresh restart-limit count. */
        History fresh() {
            return new History(1, lastExit == null ? restarts : restarts + 1, lastExit, closing);
        }

        History closed() {
            return new History(run, restarts, lastExit, true);
        }
    }

    /** Not started yet: the init commands run. */
    record Pending(History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.PENDING;
        }
    }

    /** Waiting for its dependencies' conditions, before a first run or an operator's start. */
    record Waiting(History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.WAITING;
        }
    }

    /**
     * The driver is spawning its process. It lasts only while the driver runs the spawn: the
     * outcome ({@link Message.Spawned} or {@link Message.SpawnFailed}) is handled before any
     * message posted meanwhile, so those (signals from outside included) find the process. Its
     * status is still that of the state it came {@code from}.
     */
    record Starting(Kind from, History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.STARTING;
        }
    }

    /** Its process runs; {@code begunNanos} is when the spawn began, {@code startedNanos} when it returned. */
    record Running(ChildProcess child, long begunNanos, long startedNanos, History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.RUNNING;
        }
    }

    /** Its run ended; the restart policy is deciding (off the mailbox: it is plugin code). */
    record Deciding(History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.DECIDING;
        }
    }

    /** Waiting out the restart delay. */
    record Backoff(History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.BACKOFF;
        }
    }

    /**
     * Its process was sent its stop signal; {@code after} says what follows once it and its group
     * are gone. The stop timeout brings SIGKILL to whatever is left then; {@code killed} once
     * SIGKILL went out (by that timeout or the supervisor's deadline), so it is sent once.
     */
    record Stopping(ChildProcess child, long startedNanos, After after, boolean leaderExited, boolean killed,
                    History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.STOPPING;
        }

        Stopping with(After next) {
            return new Stopping(child, startedNanos, next, leaderExited, killed, history);
        }

        Stopping leaderGone(History h) {
            return new Stopping(child, startedNanos, after, true, killed, h);
        }

        Stopping afterKill() {
            return new Stopping(child, startedNanos, after, leaderExited, true, history);
        }

        Stopping closing() {
            return new Stopping(child, startedNanos, after, leaderExited, killed, history.closed());
        }
    }

    /** It has no process and will not run again unless an operator starts it. */
    record Stopped(StopReason reason, String detail, History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.STOPPED;
        }

        /** The same stop as {@code other}, whether or not the shutdown has been heard of since. */
        boolean sameStop(Stopped other) {
            return other != null && reason == other.reason && detail.equals(other.detail)
                    && history.run() == other.history.run() && history.restarts() == other.history.restarts()
                    && Objects.equals(history.lastExit(), other.history.lastExit());
        }
    }

    /** A scheduled job between runs: its schedule's next firing (or an operator's start) runs it. */
    record Scheduled(History history) implements Life {
        @Override
        public Kind kind() {
            return Kind.SCHEDULED;
        }
    }

    /** What comes after a stop, and who waits for it. */
    record After(Then then, String origin, List<CompletableFuture<Void>> waiting) {
        /** LIVENESS: its liveness probe failed; once it is gone, its policy decides as for any exit. */
        enum Then { SHUTDOWN, OPERATOR_STOP, RESTART, LIVENESS }

        public After {
            waiting = List.copyOf(waiting);
        }

        static After of(Then then, String origin, CompletableFuture<Void> done) {
            return new After(then, origin, done == null ? List.of() : List.of(done));
        }

        /** What follows now, with one more waiter ({@code done} may be null). */
        After then(Then next, String by, CompletableFuture<Void> done) {
            List<CompletableFuture<Void>> all = new ArrayList<>(waiting);
            if (done != null) {
                all.add(done);
            }
            return new After(next, by, all);
        }
    }
}
