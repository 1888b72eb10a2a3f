package dev.carnival.runtime.supervise;

import java.time.Duration;

/** Runs short tasks after a delay: restart delays, stop timeouts, probe periods. */
@FunctionalInterface
public interface DelayScheduler {

    /** Runs {@code task} once after {@code delay}; it must only post a message, never block. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that may still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        Cancellable NONE = () -> { };

        void cancel();
    }
}
