package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.process.ChildProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops an init command's process group from the supervisor's own thread, which may block: the
 * stop signal, then SIGKILL if it is still there after the timeout. (Replicas do the same without
 * blocking, in their state machine.)
 */
final class GracefulStop {
    private static final Duration REMNANT_POLL = Duration.ofMillis(20);

    private GracefulStop() {}

    static ExitStatus stop(ChildProcess child, String who, Signal signal, Duration timeout, EventSink events) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<ExitStatus> exit = child.onExit();
        child.signalGroup(signal);
        ExitStatus status;
        try {
            status = exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            events.publish(new LifecycleEvent.StopEscalated(Instant.now(), who, signal, timeout, false));
            child.signalGroup(Signal.KILL);
            return exit.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.signalGroup(Signal.KILL);
            return exit.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        // The leader is gone but part of its group may not be: it gets what is left of the timeout.
        while (child.groupRemains() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(REMNANT_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (child.groupRemains()) {
            events.publish(new LifecycleEvent.StopEscalated(Instant.now(), who, signal, timeout, true));
            child.signalGroup(Signal.KILL);
        }
        return status;
    }
}
