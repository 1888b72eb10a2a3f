package dev.carnival.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogLineWatchTest {
    private static final ReplicaId WEB0 = new ReplicaId("web", 0);

    private static void write(LogLineWatch watch, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        watch.line(WEB0, StdStream.STDOUT, bytes, 0, bytes.length, 0, false);
    }

    @Test
    void aMatchBeforeOrAfterTheRunArmsCountsOnceAndOnlyForThatRun() {
        LogLineWatch watch = new LogLineWatch("^listening$");
        AtomicInteger matched = new AtomicInteger();
        write(watch, "starting");
        write(watch, "listening");
        watch.arm(matched::incrementAndGet);
        assertEquals(1, matched.get(), "a line read before the run heard of its process still counts");
        write(watch, "listening");
        assertEquals(1, matched.get(), "once per run");

        watch.open();
        watch.arm(matched::incrementAndGet);
        write(watch, "nothing yet");
        assertEquals(1, matched.get());
        write(watch, "listening");
        assertEquals(2, matched.get(), "the next run's first match");

        watch.open();
        watch.arm(matched::incrementAndGet);
        watch.disarm();
        write(watch, "listening");
        assertEquals(2, matched.get(), "a run being stopped is not made ready");
    }

    @Test
    void aMatchFoundWhileTheRunArmsIsNeverLost() throws Exception {
        // The output thread searches a line while the replica's thread arms the watch: whichever
        // comes first, the match is seen exactly once. A long line widens the window in which the
        // arm lands during the search.
        String line = "x".repeat(64 * 1024 - "listening".length()) + "listening";
        CyclicBarrier both = new CyclicBarrier(2);
        for (int round = 0; round < 2000; round++) {
            LogLineWatch watch = new LogLineWatch("listening$");
            AtomicInteger matched = new AtomicInteger();
            Thread output = Thread.ofPlatform().start(() -> {
                await(both);
                write(watch, line);
            });
            await(both);
            watch.arm(matched::incrementAndGet);
            output.join();
            assertEquals(1, matched.get(), "round " + round);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
