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

    private GracefulStop() {}

    static ExitStatus stop(ChildProcess child, String who, Signal signal, Duration timeout) {
        CompletableFuture<ExitStatus> exit = child.onExit();
        child.signalGroup(signal);
        try {
            return exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
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
    }
}
