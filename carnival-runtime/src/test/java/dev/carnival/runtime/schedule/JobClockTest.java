package dev.carnival.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real timer thread; the wall clock is the system's, or one the test sets. */
class JobClockTest {
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** A wall clock the test moves. */
    private static final class SetClock extends Clock {
        final AtomicReference<Instant> now;

        SetClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void firesEachRunWhenItIsDueAndArmsTheNext() throws Exception {
        BlockingQueue<Instant> fired = new LinkedBlockingQueue<>();
        try (JobClock clock = new JobClock(CronSchedule.parse("* * * * * *", ZoneOffset.UTC), JobClock.Timer.of(timer), Clock.systemUTC(), fired::add)) {
            clock.start();
            Instant first = fired.poll(30, TimeUnit.SECONDS);
            Instant second = fired.poll(30, TimeUnit.SECONDS);
            assertEquals(first.truncatedTo(ChronoUnit.SECONDS), first, "due on a whole second");
            assertEquals(first.plusSeconds(1), second);
            assertTrue(clock.next().orElseThrow().isAfter(second));
        }
    }

    @Test
    void runsMissedWhileAwayAreNotMadeUp() throws Exception {
        Instant start = Instant.parse("2026-12-07T03:00:00.500Z");
        SetClock wall = new SetClock(start);
        BlockingQueue<Instant> fired = new LinkedBlockingQueue<>();
        try (JobClock clock = new JobClock(CronSchedule.parse("* * * * * *", ZoneOffset.UTC), JobClock.Timer.of(timer), wall, fired::add)) {
            clock.start();
            assertEquals(Optional.of(Instant.parse("2026-12-07T03:00:01Z")), clock.next());
            wall.now.set(start.plus(Duration.ofSeconds(100))); // as if the process slept
            assertEquals(Instant.parse("2026-12-07T03:00:01Z"), fired.poll(30, TimeUnit.SECONDS));
            assertEquals(Optional.of(Instant.parse("2026-12-07T03:01:41Z")), clock.next());
        }
    }

    @Test
    void closedItFiresNoMore() throws Exception {
        JobClock clock = new JobClock(CronSchedule.parse("@hourly", ZoneOffset.UTC), JobClock.Timer.of(timer), Clock.systemUTC(), at -> { });
        clock.start();
        assertTrue(clock.next().isPresent());
        assertEquals(1, timer.getQueue().size());
        clock.close();
        assertEquals(Optional.empty(), clock.next());
        assertTrue(timer.getQueue().stream().allMatch(f -> ((java.util.concurrent.Future<?>) f).isCancelled()));
    }
}
