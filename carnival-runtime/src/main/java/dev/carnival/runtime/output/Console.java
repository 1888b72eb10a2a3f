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
 * read: a caller only copies its bytes into a bounded buffer and never waits for the reader;
 * one writer thread per stream does the blocking write(2)s. When {@value #CAPACITY} bytes are
 * waiting, whole calls are dropped and their lines counted, and the count is logged when the JVM
 * exits.
 * The fd itself stays blocking: children with {@code output = "inherit"} share its open file
 * description, and O_NONBLOCK there would make their writes fail with EAGAIN.
 *
 * <p>Each call's bytes are written in one piece after those of earlier calls, so whole lines
 * from different replicas never interleave or tear.
 */
public final class Console implements LineTarget {
    /** Carnival's stdout. */
    public static final Console OUT = new Console("stdout", new FileOutputStream(FileDescriptor.out));
    /** Carnival's stderr. */
    public static final Console ERR = new Console("stderr", new FileOutputStream(FileDescriptor.err));

    /** Bytes waiting for the reader before calls are dropped. */
    static final int CAPACITY = 1 << 20;
    /** The most one write(2) takes, so that progress can be seen: a reader that is slow still reads. */
    private static final int CHUNK = 64 * 1024;
    /** At exit, how long to wait for the writer to make progress, and for all of it at most. */
    private static final long EXIT_STALL_MILLIS = 200;
    private static final long EXIT_LIMIT_MILLIS = 1_000;
    private static final AtomicBoolean EXIT_HOOK = new AtomicBoolean();

    private final String name;
    private final OutputStream stream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    // All guarded by lock.
    private byte[] pending = new byte[0];
    private int pendingLength;
    private boolean writing;
    private long written;
    private long droppedLines;
    private long droppedBytes;
    private boolean broken;
    private Thread writer;

    Console(String name, OutputStream stream) {
        this.name = name;
        this.stream = stream;
    }

    /** Queues bytes for the stream, or drops them (counted) when the reader is too far behind. */
    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        lock.lock();
        try {
            if (broken) {
                return; // EPIPE: nobody will ever read, and saying so is noise
            }
            if (pendingLength + length > CAPACITY) {
                droppedBytes += length;
                for (int i = offset; i < offset + length; i++) {
                    droppedLines += bytes[i] == '\n' ? 1 : 0;
                }
                return;
            }
            if (pendingLength + length > pending.length) {
                pending = Arrays.copyOf(pending,
                        Math.min(CAPACITY, Math.max(pendingLength + length, Math.max(8192, 2 * pending.length))));
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
     * Waits until everything queued is written, while the writer makes progress (a stalled reader
     * ends the wait after {@value #EXIT_STALL_MILLIS} ms), and at most {@code limitMillis}.
     *
     * @return true when nothing is left to write
     */
    boolean drain(long limitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        lock.lock();
        try {
            while (!broken && (pendingLength > 0 || writing)) {
                long before = written;
                long stall = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_STALL_MILLIS);
                while (written == before && !broken && (pendingLength > 0 || writing)) {
                    long left = Math.min(stall, deadline) - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    progress.awaitNanos(left);
                }
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
        byte[] batch = new byte[0];
        while (true) {
            int n;
            lock.lock();
            try {
                writing = false;
                progress.signalAll();
                while (pendingLength == 0) {
                    work.awaitUninterruptibly();
                }
                n = chunk();
                if (batch.length < n || batch.length > 4 * CHUNK) {
                    batch = new byte[Math.max(n, 8192)];
                }
                System.arraycopy(pending, 0, batch, 0, n);
                System.arraycopy(pending, n, pending, 0, pendingLength - n);
                pendingLength -= n;
                if (pendingLength == 0 && pending.length > 4 * CHUNK) {
                    pending = new byte[0]; // a burst is over: give its memory back
                }
                writing = true;
            } finally {
                lock.unlock();
            }
            boolean ok = true;
            try {
                stream.write(batch, 0, n); // may block for as long as the reader likes: nobody waits for it
            } catch (IOException e) {
                ok = false;
            }
            lock.lock();
            try {
                written += n;
                if (!ok) {
                    broken = true;
                    pendingLength = 0;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** What to write next: everything pending, or up to a line end within {@link #CHUNK} bytes when more is. */
    private int chunk() {
        if (pendingLength <= CHUNK) {
            return pendingLength;
        }
        for (int i = CHUNK - 1; i >= 0; i--) {
            if (pending[i] == '\n') {
                return i + 1;
            }
        }
        return pendingLength; // one very long piece: in one write, so that nothing tears it
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
