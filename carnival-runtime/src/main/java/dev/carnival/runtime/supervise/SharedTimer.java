package dev.carnival.runtime.supervise;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One timer thread for every replica's delays: none of them parks a thread while it waits. */
final class SharedTimer implements DelayScheduler, AutoCloseable {
    private final ScheduledThreadPoolExecutor executor;

    SharedTimer() {
        executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("carnival-timer").factory());
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE; // a plugin's policy may ask for centuries: that is "never"
        }
        ScheduledFuture<?> f = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
