package dev.carnival.runtime.output;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.LoggerFactory;

/**
 * One of Carnival's own output streams, shared by every prefixed service and, for the command,
 * by its log ({@link #installAsSystemStreams()}). Best effort against a reader that does not
 * read: a caller copies its bytes into a bounded buffer, and one writer thread per stream does
 * the blocking write(2)s. A slow reader holds callers back once the buffer is full; a stuck one
 * (no progress for {@value #STALL_MILLIS} ms) does not: then whole calls are dropped and their
 * lines counted, and the count is logged when the JVM exits.
 * The fd itself stays blocking: children with {@code output = "inherit"} share its open file
 * description, and O_NONBLOCK there would make their writes fail with EAGAIN.
 *
 * <p>Each call's bytes are written in one piece after those of earlier calls, so whole lines
 * from different replicas never interleave or tear.
 */
public final class Console implements LineTarget {
    private static final byte[] NONE = {}; // before OUT and ERR, which use it
    /** Carnival's stdout. */
    public static final Console OUT = new Console("stdout", new FileOutputStream(FileDescriptor.out));
    /** Carnival's stderr. */
    public static final Console ERR = new Console("stderr", new FileOutputStream(FileDescriptor.err));

    /** Bytes waiting for the reader before calls are dropped. */
    static final int CAPACITY = 1 << 20;
    /** The most one write(2) takes, so that progress can be seen: a reader that is slow still reads. */
    private static final int CHUNK = 64 * 1024;
    /**
     * A buffer grown past this by a burst is dropped once the stream has been idle for
     * {@value #IDLE_MILLIS} ms, to give its memory back. Not sooner: a busy stream that reallocated
     * its buffers per batch would fill the heap with them (a 1 MiB array skips the young generation).
     */
    private static final int SHRINK_ABOVE = 256 * 1024;
    private static final long IDLE_MILLIS = 1_000;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
    /** How long the writer may make no progress before the reader counts as stuck. */
    private static final long STALL_MILLIS = 200;
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
    /** At exit, how long to wait for everything queued to be written, at most. */
    private static final long EXIT_LIMIT_MILLIS = 2_000;
    private static final AtomicBoolean EXIT_HOOK = new AtomicBoolean();

    private final String name;
    private final OutputStream stream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    // All guarded by lock.
    private byte[] pending = NONE;
    private int pendingLength;
    private boolean writing;
    private long lastProgress; // System.nanoTime() when the writer last began or finished a write
    private long written;
    private long droppedLines;
    private long droppedBytes;
    private boolean broken;
    private Thread writer;

    Console(String name, OutputStream stream) {
        this.name = name;
        this.stream = stream;
    }

    /**
     * Queues bytes for the stream. When {@value #CAPACITY} bytes are waiting already, it waits for
     * room while the reader reads (so a slow reader slows the services down rather than losing
     * their output), but drops the bytes, counted, once the writer has made no progress for
     * {@value #STALL_MILLIS} ms: a reader that does not read stalls nobody else.
     */
    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        lock.lock();
        try {
            // An oversized call is taken whole into an empty buffer, or it could never be written.
            while (!broken && pendingLength > 0 && pendingLength + length > CAPACITY) {
                long stalled = System.nanoTime() - lastProgress;
                if (writing && stalled >= STALL_NANOS) {
                    drop(bytes, offset, length);
                    return;
                }
                try {
                    progress.awaitNanos(STALL_NANOS - (writing ? stalled : 0));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    drop(bytes, offset, length);
                    return;
                }
            }
            if (broken) {
                return; // EPIPE: nobody will ever read, and saying so is noise
            }
            if (pendingLength + length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pendingLength + length,
                        Math.min(CAPACITY, Math.max(8192, 2 * pending.length))));
            }
            System.arraycopy(bytes, offset, pending, pendingLength, length);
            pendingLength += length;
            if (writer == null) {
                startWriter();
            }
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    private void drop(byte[] bytes, int offset, int length) {
        droppedBytes += length;
        for (int i = offset; i < offset + length; i++) {
            droppedLines += bytes[i] == '\n' ? 1 : 0;
        }
    }

    /** How many lines were dropped because the reader was too far behind. */
    long droppedLines() {
        lock.lock();
        try {
            return droppedLines;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until everything queued is written, while the writer makes progress (a write stuck on
     * the reader for {@value #STALL_MILLIS} ms ends the wait), and at most {@code limitMillis}.
     *
     * @return true when nothing is left to write
     */
    boolean drain(long limitMillis) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        lock.lock();
        try {
            while (!broken && (pendingLength > 0 || writing)) {
                long now = System.nanoTime();
                // Only a write(2) under way can be stuck on the reader; bytes not yet taken by the
                // writer wait for its thread to be scheduled, which a loaded machine may delay.
                long stalledUntil = writing ? Math.max(lastProgress, start) + STALL_NANOS : deadline;
                long left = Math.min(stalledUntil, deadline) - now;
                if (left <= 0) {
                    return false;
                }
                progress.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes {@link System#out} and {@link System#err} write through {@link #OUT} and {@link #ERR},
     * so that the log, written by slf4j-simple to {@code System.err}, is best effort too. For the
     * command only: an embedding program's streams are its own.
     */
    public static void installAsSystemStreams() {
        System.setOut(printStream(OUT, System.out.charset()));
        System.setErr(printStream(ERR, System.err.charset()));
    }

    private static PrintStream printStream(Console console, Charset charset) {
        // Buffered, so that println's text and line break arrive in one call; autoflush hands each line over.
        OutputStream lines = new OutputStream() {
            @Override
            public void write(int b) {
                console.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
            }
        };
        return new PrintStream(new BufferedOutputStream(lines, 8192), true, charset);
    }

    private void startWriter() {
        writer = Thread.ofPlatform().daemon().name("carnival-" + name).start(this::writeLoop);
        if ((this == OUT || this == ERR) && !EXIT_HOOK.getAndSet(true)) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(Console::atExit));
        }
    }

    private void writeLoop() {
        byte[] batch = NONE;
        while (true) {
            int n;
            lock.lock();
            try {
                writing = false;
                progress.signalAll();
                long idle = IDLE_NANOS;
                while (pendingLength == 0) {
                    if (idle <= 0) {
                        batch = batch.length > SHRINK_ABOVE ? NONE : batch;
                        pending = pending.length > SHRINK_ABOVE ? NONE : pending;
                        work.awaitUninterruptibly();
                    } else {
                        try {
                            idle = work.awaitNanos(idle);
                        } catch (InterruptedException e) {
                            idle = 0; // nobody interrupts this thread; treat it as the end of the wait
                        }
                    }
                }
                // Swap buffers: callers fill the other one meanwhile.
                byte[] full = pending;
                n = pendingLength;
                pending = batch;
                pendingLength = 0;
                batch = full;
                writing = true;
                lastProgress = System.nanoTime();
            } finally {
                lock.unlock();
            }
            for (int off = 0; off < n; ) {
                int end = chunkEnd(batch, off, n);
                boolean ok = true;
                try {
                    stream.write(batch, off, end - off); // may block as long as the reader likes: nobody waits for it
                } catch (IOException e) {
                    ok = false;
                }
                lock.lock();
                try {
                    written += end - off;
                    lastProgress = System.nanoTime();
                    progress.signalAll();
                    broken |= !ok;
                } finally {
                    lock.unlock();
                }
                off = ok ? end : n;
            }
        }
    }

    /**
     * Where the next write(2) from {@code off} ends: after the last line end within {@link #CHUNK}
     * bytes, else after the next one (one long line stays one piece, so nothing tears it).
     */
    private static int chunkEnd(byte[] batch, int off, int n) {
        if (n - off <= CHUNK) {
            return n;
        }
        for (int i = off + CHUNK - 1; i >= off; i--) {
            if (batch[i] == '\n') {
                return i + 1;
            }
        }
        for (int i = off + CHUNK; i < n; i++) {
            if (batch[i] == '\n') {
                return i + 1;
            }
        }
        return n;
    }

    /**
     * At JVM exit, what is queued gets a bounded chance to be written (whatever the shutdown
     * deadline was, a reader that does not read cannot hold the exit up), and drops are logged.
     */
    private static void atExit() {
        OUT.drain(EXIT_LIMIT_MILLIS);
        for (Console console : new Console[] {OUT, ERR}) {
            long lines = console.droppedLines();
            if (lines > 0) {
                LoggerFactory.getLogger("carnival").warn("Dropped {} lines of output to {}: it was not being read",
                        lines, console.name);
            }
        }
        ERR.drain(EXIT_LIMIT_MILLIS);
    }
}
