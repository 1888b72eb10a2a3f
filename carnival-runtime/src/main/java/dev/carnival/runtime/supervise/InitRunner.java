package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs the init commands one after another on the supervisor's thread, each to its exit; the
 * first that fails, cannot start or is interrupted by the shutdown ends the run.
 */
final class InitRunner {
    private final List<InitCommand> commands;
    private final Function<InitCommand, SpawnRequest> requests;
    private final ProcessControl control;
    private final ShutdownRequest shutdown;
    private final Duration stopTimeout;
    private final EventSink events;
    private volatile ChildProcess running;

    /**
     * @param requests    how each command's process is started (its environment and credentials)
     * @param stopTimeout how long an interrupted command gets between SIGTERM and SIGKILL
     */
    InitRunner(List<InitCommand> commands, Function<InitCommand, SpawnRequest> requests, ProcessControl control,
               ShutdownRequest shutdown, Duration stopTimeout, EventSink events) {
        this.commands = commands;
        this.requests = requests;
        this.control = control;
        this.shutdown = shutdown;
        this.stopTimeout = stopTimeout;
        this.events = events;
    }

    /** Runs every command in order; false as soon as one did not succeed (an event says why). */
    boolean runAll() {
        for (int i = 0; i < commands.size(); i++) {
            if (!run(i + 1, commands.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** SIGKILL to the group of the command running now, if any. */
    void kill() {
        ChildProcess child = running;
        if (child != null) {
            child.signalGroup(Signal.KILL);
        }
    }

    private boolean run(int index, InitCommand init) {
        List<String> argv = init.commandLine();
        if (shutdown.requested()) {
            return failed(index, argv, "interrupted by shutdown");
        }
        events.publish(new LifecycleEvent.InitStarted(Instant.now(), index, argv));
        long t0 = System.nanoTime();
        ChildProcess child;
        try {
            child = control.spawn(requests.apply(init));
        } catch (SpawnException e) {
            return failed(index, argv, e.getMessage());
        }
        running = child;
        CompletableFuture<ExitStatus> exit = child.onExit();
        try {
            CompletableFuture.anyOf(exit, shutdown.future()).join();
            if (!exit.isDone()) {
                GracefulStop.stop(child, "init command " + index, Signal.TERM, stopTimeout, events);
                return failed(index, argv, "interrupted by shutdown");
            }
        } finally {
            running = null;
        }
        ExitStatus status = exit.join();
        if (!status.success()) {
            return failed(index, argv, status.describe());
        }
        events.publish(new LifecycleEvent.InitFinished(Instant.now(), index, argv, Duration.ofNanos(System.nanoTime() - t0)));
        return true;
    }

    private boolean failed(int index, List<String> argv, String why) {
        events.publish(new LifecycleEvent.InitFailed(Instant.now(), index, argv, why));
        return false;
    }
}
