package dev.carnival.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.OutputLine;
import dev.carnival.api.output.OutputListener;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.output.LineTap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutputListenersTest {
    private static final ReplicaId WEB = new ReplicaId("web", 2);

    private static void write(LineTap tap, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        tap.line(WEB, StdStream.STDERR, b, 0, b.length, 1000, false);
    }

    @Test
    void noListenersNoTap() {
        assertEquals(LineTap.NONE, new OutputListeners(List.of()).tap());
    }

    @Test
    void aListenerGetsEachLineOnItsOwnThread() {
        List<OutputLine> got = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        OutputListeners listeners = new OutputListeners(List.of(line -> {
            got.add(line);
            threads.add(Thread.currentThread().getName());
        }));
        write(listeners.tap(), "one");
        write(listeners.tap(), "two");
        listeners.close(Duration.ofSeconds(30));
        assertEquals(List.of(new OutputLine(WEB, StdStream.STDERR, "one".getBytes(StandardCharsets.UTF_8),
                Instant.ofEpochMilli(1000), false), new OutputLine(WEB, StdStream.STDERR,
                "two".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(1000), false)), got);
        assertEquals(List.of("carnival-output-listener", "carnival-output-listener"), threads);
    }

    @Test
    void aStuckListenerLosesLinesCountedAndNobodyElseDoes() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong dropped = new AtomicLong();
        List<String> slowGot = new CopyOnWriteArrayList<>();
        List<String> fastGot = new CopyOnWriteArrayList<>();
        OutputListeners listeners = new OutputListeners(List.of(new OutputListener() {
            @Override
            public void onLine(OutputLine line) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slowGot.add(line.text());
            }

            @Override
            public void onDropped(long lines) {
                dropped.addAndGet(lines);
            }
        }, line -> fastGot.add(line.text())));
        int total = 3 * OutputListeners.QUEUE_CAPACITY;
        for (int i = 0; i < total; i++) {
            write(listeners.tap(), "l" + i); // returns at once although one listener is stuck
            if (i % 1000 == 999) {
                int sent = i + 1;
                Await.until("the fast listener took " + sent + " lines", () -> fastGot.size() == sent);
            }
        }
        release.countDown();
        Await.until("the slow listener took what was queued", () -> slowGot.size() == OutputListeners.QUEUE_CAPACITY + 1);
        assertEquals(0, dropped.get(), "told of the drops where they happened: after the lines queued");
        write(listeners.tap(), "after");
        listeners.close(Duration.ofSeconds(60));
        assertEquals(total + 1, fastGot.size(), "the other listener lost nothing");
        assertEquals(total - OutputListeners.QUEUE_CAPACITY - 1, dropped.get(), "the rest were dropped, and counted");
        assertEquals("after", slowGot.getLast(), "told of the drops, then given the next line");
    }

    @Test
    void aThrowingListenerKeepsGettingLines() {
        List<String> got = new CopyOnWriteArrayList<>();
        OutputListeners listeners = new OutputListeners(List.of(line -> {
            got.add(line.text());
            throw new IllegalStateException("boom");
        }));
        write(listeners.tap(), "a");
        write(listeners.tap(), "b");
        listeners.close(Duration.ofSeconds(30));
        assertEquals(List.of("a", "b"), got);
    }

    @Test
    void aLogLineWatchCallsBackOncePerRun() {
        LogLineWatch watch = new LogLineWatch("listening on [0-9]+");
        AtomicLong calls = new AtomicLong();
        watch.arm(calls::incrementAndGet);
        write(watch, "starting");
        assertEquals(0, calls.get());
        write(watch, "now listening on 8080");
        write(watch, "listening on 8081");
        assertEquals(1, calls.get(), "once per run");
        watch.disarm();
        write(watch, "listening on 9 while stopping");
        watch.open();
        watch.arm(calls::incrementAndGet);
        assertEquals(1, calls.get(), "a line of the stopping run does not count for the next");
        byte[] notUtf8 = {(byte) 0xff, 'l', 'i', 's', 't', 'e', 'n', 'i', 'n', 'g', ' ', 'o', 'n', ' ', '1'};
        watch.line(WEB, StdStream.STDOUT, notUtf8, 0, notUtf8.length, 0, false);
        assertEquals(2, calls.get());
    }

    @Test
    void aLineReadBeforeTheRunIsArmedStillCounts() {
        LogLineWatch watch = new LogLineWatch("^ready$");
        AtomicLong calls = new AtomicLong();
        write(watch, "ready"); // the first run's line, read before the replica heard of its start
        watch.arm(calls::incrementAndGet);
        assertEquals(1, calls.get());
        watch.disarm();
        watch.open();
        write(watch, "not yet");
        watch.arm(calls::incrementAndGet);
        assertEquals(1, calls.get());
        write(watch, "ready");
        assertEquals(2, calls.get());
    }
}
