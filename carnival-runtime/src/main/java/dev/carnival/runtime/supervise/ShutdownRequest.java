package dev.carnival.runtime.supervise;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The one-way switch from running to shutting down; threads wait on it instead of sleeping. */
final class ShutdownRequest {
    private final CompletableFuture<String> cause = new CompletableFuture<>();

    /** Flips the switch; true for the call that did. */
    boolean request(String why) {
        return cause.complete(why);
    }

    boolean requested() {
        return cause.isDone();
    }

    CompletableFuture<String> future() {
        return cause;
    }

    /** Waits up to {@code timeout}; true if shutdown was requested meanwhile. */
    boolean awaitFor(Duration timeout) {
        if (timeout.isZero()) {
            return requested();
        }
        try {
            cause.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
