package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.runtime.process.Await;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The poll loop shared by the output pump and the notify sockets, on real pipes. */
class PollLoopTest {
    private static final int EPIPE = 32;

    /** A pipe's two ends; the loop watches the read end. */
    private record Pipe(int read, int write) {}

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Arena arena = Arena.ofAuto();

    private final PollLoop<Pipe> loop = new PollLoop<>("test-poll", Pipe::read, new PollLoop.Handler<>() {
        @Override
        public boolean ready(Pipe pipe, short revents) {
            MemorySegment buffer = arena.allocate(16);
            long got = LibC.read(pipe.read(), buffer, 16);
            calls.add("ready " + pipe.read() + " " + got + " " + Thread.currentThread().getName());
            return got > 0;
        }

        @Override
        public void release(Pipe pipe) {
            calls.add("release " + pipe.read() + " " + Thread.currentThread().getName());
            LibC.close(pipe.read());
        }
    });

    private Pipe pipe() {
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        assertEquals(0, LibC.pipe2(fds, LibC.O_CLOEXEC | LibC.O_NONBLOCK));
        return new Pipe(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
    }

    private void write(Pipe pipe, String text) {
        MemorySegment bytes = arena.allocateFrom(text);
        assertEquals(text.length(), LibC.write(pipe.write(), bytes, text.length()));
    }

    private long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Test
    void readyItemsGoToTheHandlerAndEachIsReleasedOnceOnTheLoopsThread() {
        Pipe a = pipe();
        Pipe b = pipe();
        try (loop) {
            assertTrue(loop.add(a));
            assertTrue(loop.add(b));
            write(b, "hi");
            Await.until(() -> "b read: " + calls, () -> calls.contains("ready " + b.read() + " 2 test-poll"));

            LibC.close(a.write()); // end of file: ready returns false, the loop lets a go
            Await.until(() -> "a released: " + calls, () -> calls.contains("release " + a.read() + " test-poll"));

            loop.remove(b);
            loop.remove(b);
            Await.until(() -> "b released: " + calls, () -> calls.contains("release " + b.read() + " test-poll"));
        }
        assertEquals(2, count("release "), calls.toString());
        assertEquals(-EPIPE, LibC.write(b.write(), arena.allocateFrom("x"), 1), "b's read end is closed");
        LibC.close(b.write());
    }

    @Test
    void closingReleasesWhatIsWatchedAndAnItemAddedAfterwardsAtOnce() {
        Pipe a = pipe();
        Pipe late = pipe();
        assertTrue(loop.add(a));
        loop.close();
        loop.close();
        assertEquals(List.of("release " + a.read() + " test-poll"), calls);
        assertFalse(loop.add(late));
        assertEquals("release " + late.read() + " " + Thread.currentThread().getName(), calls.getLast());
        LibC.close(a.write());
        LibC.close(late.write());
    }
}
