package dev.carnival.runtime.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fires a job's schedule: one task at a time on the supervisor's shared timer, armed for the next
 * run, so a job costs no thread and no CPU between its firings. Each firing hands the instant it
 * was due to {@code fire} (which must only post messages), then arms the next run after
 * {@code max(due, now)}: runs missed while the process was stopped (a suspended container) are
 * not made up. The timer counts on the monotonic clock; a wake-up before the wall clock reaches
 * the run (the two drift apart, or the wall clock was set back) arms again for the rest.
 */
public final class JobClock implements AutoCloseable {
    /** Runs a task once after a delay, on a timer thread; what it returns cancels it. */
    @FunctionalInterface
    public interface Timer {
        Runnable schedule(Duration delay, Runnable task);

        /** {@code executor} as a timer. */
        static Timer of(ScheduledExecutorService executor) {
            return (delay, task) -> {
                ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            };
        }
    }

    private final CronSchedule schedule;
    private final Timer timer;
    private final Clock clock;
    private final Consumer<Instant> fire;
    private final Object lock = new Object();
    private Instant next; // guarded by lock; null before start, after close, or when the schedule ends
    private Runnable armed; // guarded by lock: cancels the armed task
    private boolean closed; // guarded by lock

    public JobClock(CronSchedule schedule, Timer timer, Clock clock, Consumer<Instant> fire) {
        this.schedule = schedule;
        this.timer = timer;
        this.clock = clock;
        this.fire = fire;
    }

    /** Arms the first run after now; again, it does nothing. */
    public void start() {
        synchronized (lock) {
            if (armed == null) {
                arm(clock.instant());
            }
        }
    }

    /** When it fires next, if it is armed. */
    public Optional<Instant> next() {
        synchronized (lock) {
            return Optional.ofNullable(next);
        }
    }

    /** Fires no more. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            next = null;
            if (armed != null) {
                armed.run();
                armed = null;
            }
        }
    }

    private void tick() {
        Instant due;
        synchronized (lock) {
            if (closed || next == null) {
                return;
            }
            Instant now = clock.instant();
            if (now.isBefore(next)) {
                schedule(next, now);
                return;
            }
            due = next;
            arm(now);
        }
        fire.accept(due);
    }

    /** Arms the first run strictly after {@code after} (lock held). */
    private void arm(Instant after) {
        if (closed) {
            return;
        }
        next = schedule.nextAfter(after).orElse(null);
        if (next != null) {
            schedule(next, clock.instant());
        }
    }

    private void schedule(Instant at, Instant now) {
        Duration delay = Duration.between(now, at);
        armed = timer.schedule(delay.isNegative() ? Duration.ZERO : delay, this::tick);
    }
}
