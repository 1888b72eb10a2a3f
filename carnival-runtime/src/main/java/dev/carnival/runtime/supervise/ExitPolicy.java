package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The supervisor's exit code. 0 when every service finished or after a graceful shutdown, 1 when
 * an init command failed or was interrupted, 2 when a service cannot be started at all (command
 * or working directory missing), 70 for an internal error or a critical service's failed restart
 * policy, and the status of a critical service that stopped for good after a failure (its exit
 * code, or 128+N for signal N): the first such failure decides. Each non-zero code follows an
 * event saying why.
 */
public final class ExitPolicy {
    /** Every service finished, or graceful shutdown. */
    public static final int OK = 0;
    /** An init command failed or was interrupted. */
    public static final int INIT_FAILED = 1;
    /** Bad usage, configuration or plugin. */
    public static final int CONFIG = 2;
    /** A bug in Carnival itself, or in a critical service's restart policy (EX_SOFTWARE). */
    public static final int INTERNAL = 70;

    private final AtomicReference<Integer> critical = new AtomicReference<>();
    private final CompletableFuture<Integer> code = new CompletableFuture<>();

    ExitPolicy() {}

    /**
     * Takes note of a replica that stopped for good. Returns why the supervisor must shut down
     * when it is a critical service's failure, else empty.
     */
    Optional<String> stopped(Replica r, Life.Stopped stopped) {
        StopReason reason = stopped.reason();
        if (!r.service().critical() || reason == StopReason.SHUTDOWN || reason == StopReason.OPERATOR) {
            return Optional.empty();
        }
        ExitStatus last = stopped.history().lastExit();
        if (reason == StopReason.POLICY_ERROR || reason == StopReason.INTERNAL_ERROR) {
            critical.compareAndSet(null, INTERNAL);
        } else if (reason == StopReason.DEPENDENCY) {
            critical.compareAndSet(null, r.link().dependencyFailure().map(f -> f.exitCode()).orElse(1));
        } else if (last != null && !r.service().succeeded(last)) {
            critical.compareAndSet(null, last.asExitCode());
        }
        return Optional.of("critical service " + r.id() + " stopped" + (last == null ? "" : " (" + last.describe() + ")"));
    }

    /** The run is over with {@code exitCode}: {@link #await} returns it. */
    void complete(int exitCode) {
        code.complete(exitCode);
    }

    /** Waits for the run's exit code. */
    int await() throws InterruptedException {
        try {
            return code.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits at most {@code timeout} for the run's exit code. */
    Optional<Integer> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(code.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The exit code of a run whose init commands and preflight passed. */
    int afterServices() {
        Integer code = critical.get();
        return code == null ? OK : code;
    }
}
