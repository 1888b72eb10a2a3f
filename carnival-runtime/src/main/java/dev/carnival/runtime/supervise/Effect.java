package dev.carnival.runtime.supervise;

import dev.carnival.api.model.JobStatus;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RunOutcome;
import dev.carnival.runtime.process.ChildProcess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a transition asks the world to do: a closed set of values, run in order by the replica's
 * driver once the new state is published. Effects whose outcome the state machine needs (a spawn,
 * a look at a process group, an already settled dependency wait) come back as a message handled
 * before any other; the rest come back, if at all, as {@link Message.Armed} messages.
 */
sealed interface Effect {

    /** The effects, one constant per record. */
    enum Kind {
        SPAWN, WATCH_EXIT, SIGNAL_GROUP, CHECK_GROUP, START_TIMER, AWAIT_DEPENDENCIES, PROBES_START, PROBES_STOP,
        LINK_EXITED, LINK_STOPPED, DECIDE, PUBLISH, OWNER_STOPPED, REPLY, ANSWER, JOB_RAN, SIDE_RUN, RUN_STOP_COMMAND,
        KILL_STOP_COMMAND
    }

    Kind kind();

    /** Spawn the service's process, its restart count in the environment; answered by Spawned or SpawnFailed. */
    record Spawn(int restartCount) implements Effect {
        @Override
        public Kind kind() {
            return Kind.SPAWN;
        }
    }

    /** Post Exited (or ExitUnknown) when {@code child} has been reaped. */
    record WatchExit(ChildProcess child) implements Effect {
        @Override
        public Kind kind() {
            return Kind.WATCH_EXIT;
        }
    }

    /** Send {@code signal} to {@code child}'s process group. */
    record SignalGroup(ChildProcess child, Signal signal) implements Effect {
        @Override
        public Kind kind() {
            return Kind.SIGNAL_GROUP;
        }
    }

    /** Look whether anything is left of {@code child}'s group; answered by GroupChecked. */
    record CheckGroup(ChildProcess child) implements Effect {
        @Override
        public Kind kind() {
            return Kind.CHECK_GROUP;
        }
    }

    /** Post Timeout({@code timer}) after {@code delay}, unless the state is left first. */
    record StartTimer(Message.Timer timer, Duration delay) implements Effect {
        @Override
        public Kind kind() {
            return Kind.START_TIMER;
        }
    }

    /** Ask the dependencies' gate; answered by DependenciesSettled. */
    record AwaitDependencies() implements Effect {
        @Override
        public Kind kind() {
            return Kind.AWAIT_DEPENDENCIES;
        }
    }

    /** The process runs: tell the dependencies, start its probes (a failed liveness posts LivenessFailed). */
    record ProbesStart() implements Effect {
        @Override
        public Kind kind() {
            return Kind.PROBES_START;
        }
    }

    /** The process is about to be signalled: its probes stop first. */
    record ProbesStop() implements Effect {
        @Override
        public Kind kind() {
            return Kind.PROBES_STOP;
        }
    }

    /** Tell the dependencies how the process ended; it may run again. */
    record LinkExited(ExitStatus status) implements Effect {
        @Override
        public Kind kind() {
            return Kind.LINK_EXITED;
        }
    }

    /** Tell the dependencies the replica will not run again. */
    record LinkStopped() implements Effect {
        @Override
        public Kind kind() {
            return Kind.LINK_STOPPED;
        }
    }

    /** Ask the restart policy, off the mailbox (it is plugin code); answered by Decided. */
    record Decide(RunOutcome outcome) implements Effect {
        @Override
        public Kind kind() {
            return Kind.DECIDE;
        }
    }

    /** Hand {@code event} to the listeners now. */
    record Publish(LifecycleEvent event) implements Effect {
        @Override
        public Kind kind() {
            return Kind.PUBLISH;
        }
    }

    /** Tell the supervisor the replica entered {@code stopped}. */
    record OwnerStopped(Life.Stopped stopped) implements Effect {
        @Override
        public Kind kind() {
            return Kind.OWNER_STOPPED;
        }
    }

    /** Complete an operator's {@code done}: normally, or (with {@code failure}) exceptionally. */
    record Reply(CompletableFuture<Void> done, String failure) implements Effect {
        @Override
        public Kind kind() {
            return Kind.REPLY;
        }
    }

    /** A job's firing is over for this replica with {@code result}: count it and say so. */
    record JobRan(JobStatus.Result result) implements Effect {
        @Override
        public Kind kind() {
            return Kind.JOB_RAN;
        }
    }

    /** A firing while the last run still runs, with {@code overlap = "allow"}: start a run beside it. */
    record SideRun() implements Effect {
        @Override
        public Kind kind() {
            return Kind.SIDE_RUN;
        }
    }

    /** Stop {@code child} with the service's {@code stop-command} instead of its stop signal. */
    record RunStopCommand(ChildProcess child) implements Effect {
        @Override
        public Kind kind() {
            return Kind.RUN_STOP_COMMAND;
        }
    }

    /** SIGKILL to the stop command's group too, if it still runs. */
    record KillStopCommand() implements Effect {
        @Override
        public Kind kind() {
            return Kind.KILL_STOP_COMMAND;
        }
    }

    /** Say whether a forwarded signal reached a process. */
    record Answer(CompletableFuture<Boolean> sent, boolean value) implements Effect {
        @Override
        public Kind kind() {
            return Kind.ANSWER;
        }
    }
}
