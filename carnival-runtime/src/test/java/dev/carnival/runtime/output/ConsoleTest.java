package dev.carnival.runtime.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ConsoleTest {

    /** A reader that never reads: every write blocks until the test lets it go. */
    private static final class Stuck extends OutputStream {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            got.write(b, off, len);
        }
    }

    private static byte[] line(int i) {
        return ("line " + i + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aReaderThatDoesNotReadHoldsWritersUpOnlyBrieflyAndDropsAreCounted() throws Exception {
        Stuck stuck = new Stuck();
        Console console = new Console("test", stuck);
        byte[] first = line(0);
        console.write(first, 0, first.length);
        stuck.entered.await(); // the writer thread is now blocked in write
        int lines = 0;
        long bytes = 0;
        while (bytes <= Console.CAPACITY) { // fills the buffer and beyond, all on this thread
            byte[] b = line(++lines);
            console.write(b, 0, b.length);
            bytes += b.length;
        }
        assertTrue(console.droppedLines() > 0, "dropped once the buffer was full");
        assertFalse(console.drain(5_000), "a stalled writer ends the wait early");
        long dropped = console.droppedLines();
        stuck.release.countDown();
        assertTrue(console.drain(30_000));
        String got = stuck.got.toString(StandardCharsets.UTF_8);
        long kept = got.lines().count();
        assertEquals(lines + 1, kept + dropped, "every line written or counted as dropped");
        // What was kept is a prefix, in order and whole: calls are dropped only at the end of the queue.
        String[] keptLines = got.split("\n");
        for (int i = 0; i < keptLines.length; i++) {
            assertEquals("line " + i, keptLines[i]);
        }
    }

    @Test
    void aSlowReaderLosesNothing() throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Console console = new Console("test", new OutputStream() {
            @Override
            public void write(int b) {
                got.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    Thread.sleep(2); // a reader far slower than the writers, but reading
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                got.write(b, off, len);
            }
        });
        byte[] chunk = "x".repeat(1023).concat("\n").getBytes(StandardCharsets.UTF_8);
        int calls = 4 * Console.CAPACITY / chunk.length; // four buffers full
        for (int i = 0; i < calls; i++) {
            console.write(chunk, 0, chunk.length);
        }
        assertTrue(console.drain(30_000));
        assertEquals(0, console.droppedLines());
        assertEquals((long) calls * chunk.length, got.size());
    }

    @Test
    void bytesArriveInOrderAndWhole() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = new Console("test", out);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            byte[] b = line(i);
            console.write(b, 0, b.length);
            expected.append("line ").append(i).append('\n');
        }
        assertTrue(console.drain(30_000));
        synchronized (out) {
            assertEquals(expected.toString(), out.toString(StandardCharsets.UTF_8));
        }
        assertEquals(0, console.droppedLines());
    }

    @Test
    void aClosedReaderIsGivenUpOnQuietly() {
        Console console = new Console("test", new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        });
        byte[] b = line(1);
        console.write(b, 0, b.length);
        assertTrue(console.drain(30_000), "nothing left to write once the reader is gone");
        console.write(b, 0, b.length);
        assertEquals(0, console.droppedLines(), "EPIPE is not a drop worth reporting");
    }
}
