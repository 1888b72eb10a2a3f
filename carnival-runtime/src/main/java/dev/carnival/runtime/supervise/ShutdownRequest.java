package dev.carnival.runtime.supervise;

import java.util.concurrent.CompletableFuture;

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
}
