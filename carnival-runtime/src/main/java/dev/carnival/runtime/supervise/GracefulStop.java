package dev.carnival.runtime.supervise;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.process.ChildProcess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops a process group: the stop signal, then SIGKILL if it is still there after the timeout. */
final class GracefulStop {
    private static final Logger LOG = LoggerFactory.getLogger("carnival");
    private static final Duration REMNANT_POLL = Duration.ofMillis(20);

    private GracefulStop() {}

    static ExitStatus stop(ChildProcess child, String who, Signal signal, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<ExitStatus> exit = child.onExit();
        child.signalGroup(signal);
        ExitStatus status;
        try {
            status = exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} did not stop within {}ms after {}, sending SIGKILL", who, timeout.toMillis(), signal.signalName());
            child.signalGroup(Signal.KILL);
            return exit.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.signalGroup(Signal.KILL);
            return exit.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        stopRemnants(child, who, signal, timeout, deadline);
        return status;
    }

    /**
     * The leader is gone but part of its group may not be (a grandchild that ignores the stop
     * signal): it gets what is left of the stop timeout, then SIGKILL, as the leader would have.
     */
    private static void stopRemnants(ChildProcess child, String who, Signal signal, Duration timeout, long deadline) {
        // Nothing tells us when a group empties, so look again every few milliseconds.
        while (child.groupRemains() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(REMNANT_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (child.groupRemains()) {
            LOG.warn("{}: processes of its group still running {}ms after {}, sending SIGKILL", who, timeout.toMillis(),
                    signal.signalName());
            child.signalGroup(Signal.KILL);
        }
    }
}
