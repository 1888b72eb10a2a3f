package dev.carnival.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.output.CapturedLines;
import dev.carnival.runtime.output.LineFormat;
import dev.carnival.runtime.output.LineTap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogBuffersTest {
    private static final ReplicaId WEB0 = new ReplicaId("web", 0);
    private static final ReplicaId WEB1 = new ReplicaId("web", 1);
    private static final ReplicaId DB0 = new ReplicaId("db", 0);

    private final LogBuffers buffers = new LogBuffers(capacities());

    private static Map<String, Integer> capacities() {
        Map<String, Integer> c = new LinkedHashMap<>();
        c.put("web", 3);
        c.put("db", 5);
        c.put("quiet", 0);
        return c;
    }

    private void write(ReplicaId id, String text) {
        byte[] b = ("<" + text + ">").getBytes(StandardCharsets.UTF_8);
        buffers.tap(id.service()).line(id, StdStream.STDOUT, b, 1, b.length - 2, 7, false);
    }

    private static List<String> text(LogBuffers.Batch batch) {
        return batch.lines().stream().map(l -> l.replica() + " " + new String(l.bytes(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void keepsTheLastLinesOfEachServiceInTheOrderWritten() throws InterruptedException {
        write(WEB0, "w1");
        write(DB0, "d1");
        write(WEB1, "w2");
        write(WEB0, "w3");
        write(DB0, "d2");
        write(WEB0, "w4");
        LogBuffers.Follower all = buffers.follow(List.of("web", "db"), r -> true, -1);
        assertEquals(List.of("db[0] d1", "web[1] w2", "web[0] w3", "db[0] d2", "web[0] w4"), text(all.next(0, TimeUnit.SECONDS)),
                "web keeps 3, db 5; merged by the order they were written");
        LogBuffers.Follower last2 = buffers.follow(List.of("web", "db"), r -> true, 2);
        assertEquals(List.of("db[0] d2", "web[0] w4"), text(last2.next(0, TimeUnit.SECONDS)));
        LogBuffers.Follower one = buffers.follow(List.of("web"), r -> r.index() == 1, -1);
        assertEquals(List.of("web[1] w2"), text(one.next(0, TimeUnit.SECONDS)));
        assertEquals(0, buffers.capacity("quiet"));
        write(new ReplicaId("quiet", 0), "dropped");
        assertEquals(List.of(), buffers.follow(List.of("quiet"), r -> true, -1).next(0, TimeUnit.SECONDS).lines());
        assertThrows(IllegalArgumentException.class, () -> buffers.tap("nope"));
    }

    /** A sink hands a read's lines over together; the ring goes round within them. */
    @Test
    void theLinesOfOneReadAreStoredInOrder() throws InterruptedException {
        CapturedLines sink = new CapturedLines(null, LineFormat.RAW, buffers.tap("db"), DB0, StdStream.STDERR, () -> 9L);
        byte[] b = "1\n2\n3\n4\n5\n6\n7".getBytes(StandardCharsets.UTF_8);
        sink.write(b, 0, b.length);
        sink.flush();
        LogBuffers.Batch batch = buffers.follow(List.of("db"), r -> true, -1).next(0, TimeUnit.SECONDS);
        assertEquals(List.of("db[0] 3", "db[0] 4", "db[0] 5", "db[0] 6", "db[0] 7"), text(batch), "db keeps 5");
        assertTrue(batch.lines().stream().allMatch(l -> l.stream() == StdStream.STDERR && l.millis() == 9L));
    }

    @Test
    void aFollowerGetsNewLinesAndIsToldWhatItLost() throws InterruptedException {
        LogBuffers.Follower f = buffers.follow(List.of("web"), r -> true, -1);
        assertEquals(List.of(), f.next(0, TimeUnit.SECONDS).lines());
        assertEquals(new LogBuffers.Batch(List.of(), 0), f.next(1, TimeUnit.MILLISECONDS), "nothing new: times out");
        write(WEB0, "a");
        assertEquals(List.of("web[0] a"), text(f.next(0, TimeUnit.SECONDS)));
        for (int i = 0; i < 10; i++) {
            write(WEB0, "n" + i);
        }
        LogBuffers.Batch behind = f.next(0, TimeUnit.SECONDS);
        assertEquals(7, behind.lost(), "10 written, 3 kept");
        assertEquals(List.of("web[0] n7", "web[0] n8", "web[0] n9"), text(behind));
    }

    @Test
    void aWaitingFollowerWakesForALineAndAtClose() throws Exception {
        LogBuffers.Follower f = buffers.follow(List.of("db"), r -> true, -1);
        f.next(0, TimeUnit.SECONDS);
        CompletableFuture<LogBuffers.Batch> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return f.next(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        write(DB0, "late");
        assertEquals(List.of("db[0] late"), text(waiting.get(30, TimeUnit.SECONDS)));
        CompletableFuture<LogBuffers.Batch> last = CompletableFuture.supplyAsync(() -> {
            try {
                return f.next(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        buffers.close();
        assertEquals(List.of(), last.get(30, TimeUnit.SECONDS).lines());
        assertTrue(f.closed());
    }

    @Test
    void aFollowerThatNeverReadsHoldsNoWriterBack() {
        List<LogBuffers.Follower> idle = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            idle.add(buffers.follow(List.of("web", "db"), r -> true, -1));
        }
        for (int i = 0; i < 100_000; i++) {
            write(i % 2 == 0 ? WEB0 : DB0, "x" + i);
        }
        LogBuffers.Follower fresh = buffers.follow(List.of("web"), r -> true, -1);
        assertEquals(3, assertDoesNotBlock(fresh).lines().size());
        LogBuffers.Follower slow = idle.getFirst();
        assertEquals(List.of(), assertDoesNotBlock(slow).lines(), "nothing was buffered when it began");
        LogBuffers.Batch caughtUp = assertDoesNotBlock(slow);
        assertEquals(100_000 - 8, caughtUp.lost(), "every line but the 8 kept is counted as lost");
        assertEquals(8, caughtUp.lines().size());
    }

    private static LogBuffers.Batch assertDoesNotBlock(LogBuffers.Follower f) {
        try {
            return f.next(0, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aReloadAddsResizesAndDropsBuffersAndTheTapsAlreadyHandedOutFollow() throws InterruptedException {
        LineTap quietTap = buffers.tap("quiet"); // held by a running replica's sink
        for (int i = 0; i < 3; i++) {
            write(WEB0, "w" + i);
        }
        Map<String, Integer> next = new LinkedHashMap<>();
        next.put("web", 2);
        next.put("quiet", 2);
        next.put("added", 4);
        buffers.adopt(next);

        assertEquals(List.of("web", "quiet", "added"), List.copyOf(buffers.services()));
        assertThrows(IllegalArgumentException.class, () -> buffers.tap("db"), "db is no longer captured");
        assertEquals(List.of("web[0] w1", "web[0] w2"), text(buffers.follow(List.of("web"), r -> true, -1)
                .next(0, TimeUnit.SECONDS)), "shrunk to the newest 2");
        byte[] b = "q".getBytes(StandardCharsets.UTF_8);
        quietTap.line(new ReplicaId("quiet", 0), StdStream.STDOUT, b, 0, 1, 7, false);
        assertEquals(List.of("quiet[0] q"), text(buffers.follow(List.of("quiet"), r -> true, -1)
                .next(0, TimeUnit.SECONDS)), "a buffer of no lines grown: the tap handed out before stores now");
        write(new ReplicaId("added", 0), "a");
        assertEquals(List.of("added[0] a"), text(buffers.follow(List.of("added"), r -> true, -1)
                .next(0, TimeUnit.SECONDS)));

        next.put("web", 4);
        buffers.adopt(next);
        write(WEB0, "w3");
        assertEquals(List.of("web[0] w1", "web[0] w2", "web[0] w3"), text(buffers.follow(List.of("web"), r -> true, -1)
                .next(0, TimeUnit.SECONDS)), "grown: what it held is kept, nothing made up");
    }
}
