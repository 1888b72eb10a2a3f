package dev.carnival.runtime.supervise;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The one-way switch from running to shutting down; threads wait on it instead of sleeping. */
final class ShutdownRequest {
    private final CompletableFuture<String> cause = new CompletableFuture<>();
    /** System.nanoTime() of the request; the shutdown deadline counts from it. */
    private long at;
    private boolean hastened;

    /** Flips the switch; true for the call that did. */
    synchronized boolean request(String why) {
        if (cause.isDone()) {
            return false;
        }
        at = System.nanoTime();
        return cause.complete(why);
    }

    boolean requested() {
        return cause.isDone();
    }

    CompletableFuture<String> future() {
        return cause;
    }

    /** What is left of the grace period is skipped: {@link #left} is zero from now on. */
    synchronized void hasten() {
        hastened = true;
    }

    /**
     * What is left of {@code timeout} counted from the request; all of it when none was made yet,
     * none once hastened.
     */
    synchronized Duration left(Duration timeout) {
        if (hastened) {
            return Duration.ZERO;
        }
        long left = cause.isDone() ? timeout.toNanos() - (System.nanoTime() - at) : timeout.toNanos();
        return Duration.ofNanos(Math.max(0, left));
    }
}
