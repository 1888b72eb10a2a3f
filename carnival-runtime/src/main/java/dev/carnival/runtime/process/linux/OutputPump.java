package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.carnival.runtime.process.OutputSink;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies every piped child stdout and stderr into its sink, from one thread that poll(2)s all the
 * pipes, so piped output costs no thread per child either. The thread starts with the first pipe.
 * It is separate from the {@link Reaper} because a sink may block (a full terminal, a slow log
 * reader), and that must never delay reaping.
 */
final class OutputPump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);
    private static final int READ_BYTES = 64 * 1024;
    private static final short POLLHUP = 0x010;
    private static final short POLLERR = 0x008;

    private record Pipe(int fd, OutputSink sink, CompletableFuture<Void> eof) {}

    private final Object lock = new Object();
    private final List<Pipe> added = new ArrayList<>(); // guarded by lock
    private boolean closed; // guarded by lock
    private int wakeFd = -1; // guarded by lock; -1 until the thread starts
    private Thread thread; // guarded by lock

    /**
     * Starts copying {@code fd} (a pipe's read end, which this pump now owns) into {@code sink}.
     *
     * @return completes when the pipe has reached end of file and the sink has been flushed
     */
    CompletableFuture<Void> attach(int fd, OutputSink sink) {
        Pipe pipe = new Pipe(fd, sink, new CompletableFuture<>());
        synchronized (lock) {
            if (closed) {
                LibC.close(fd);
                pipe.eof.complete(null);
                return pipe.eof;
            }
            if (thread == null) {
                int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
                if (efd < 0) {
                    throw new IllegalStateException("eventfd: " + Errno.describe(-efd));
                }
                wakeFd = efd;
                thread = Thread.ofPlatform().daemon().name("carnival-output").unstarted(this::run);
                thread.start();
            }
            added.add(pipe);
            wake();
        }
        return pipe.eof;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closed = true;
            t = thread;
            if (t != null) {
                wake();
            }
        }
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void wake() {
        LibC.eventfdSignal(wakeFd);
    }

    private void run() {
        List<Pipe> open = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(READ_BYTES);
            MemorySegment pollfds = MemorySegment.NULL;
            byte[] bytes = new byte[READ_BYTES];
            boolean changed = true;
            while (true) {
                synchronized (lock) {
                    if (closed) {
                        break;
                    }
                    if (!added.isEmpty()) {
                        open.addAll(added);
                        added.clear();
                        changed = true;
                    }
                }
                int count = open.size() + 1;
                if (changed) {
                    if (pollfds.byteSize() < count * LibC.POLLFD_BYTES) {
                        pollfds = Arena.ofAuto().allocate(Math.max(64, Integer.highestOneBit(count) * 2L) * LibC.POLLFD_BYTES, 8);
                    }
                    set(pollfds, 0, wakeFd);
                    for (int i = 0; i < open.size(); i++) {
                        set(pollfds, i + 1, open.get(i).fd());
                    }
                    changed = false;
                }
                int n = LibC.poll(pollfds, count, -1);
                if (n <= 0) {
                    continue; // EINTR
                }
                if (revents(pollfds, 0) != 0) {
                    LibC.read(wakeFd, buffer, 8);
                }
                List<Pipe> finished = new ArrayList<>();
                for (int i = 1; i < count; i++) {
                    short re = revents(pollfds, i);
                    if (re == 0) {
                        continue;
                    }
                    Pipe pipe = open.get(i - 1);
                    // Read even on POLLHUP: data written just before the close is still there.
                    // Anything else (POLLNVAL) cannot happen for an fd we own; treat it as the end.
                    long got = (re & (LibC.POLLIN | POLLHUP | POLLERR)) != 0 ? LibC.read(pipe.fd(), buffer, READ_BYTES) : 0;
                    if (got > 0) {
                        MemorySegment.copy(buffer, JAVA_BYTE, 0, bytes, 0, (int) got);
                        safely(() -> pipe.sink().write(bytes, 0, (int) got));
                    } else if (got != -Errno.EINTR && got != -Errno.EAGAIN) {
                        finished.add(pipe);
                    }
                }
                for (Pipe pipe : finished) {
                    finish(pipe);
                    open.remove(pipe);
                    changed = true;
                }
            }
        } finally {
            open.forEach(this::finish);
            synchronized (lock) {
                added.forEach(this::finish);
                added.clear();
                LibC.close(wakeFd);
            }
        }
    }

    private void finish(Pipe pipe) {
        LibC.close(pipe.fd());
        safely(pipe.sink()::flush);
        pipe.eof().complete(null);
    }

    private static void safely(Runnable sinkCall) {
        try {
            sinkCall.run();
        } catch (RuntimeException e) {
            LOG.warn("output sink failed; dropping output", e);
        }
    }

    private static void set(MemorySegment pollfds, int index, int fd) {
        long base = index * LibC.POLLFD_BYTES;
        pollfds.set(JAVA_INT, base, fd);
        pollfds.set(JAVA_SHORT, base + LibC.POLLFD_EVENTS_OFFSET, (short) LibC.POLLIN);
        pollfds.set(JAVA_SHORT, base + LibC.POLLFD_REVENTS_OFFSET, (short) 0);
    }

    private static short revents(MemorySegment pollfds, int index) {
        return pollfds.get(JAVA_SHORT, index * LibC.POLLFD_BYTES + LibC.POLLFD_REVENTS_OFFSET);
    }
}
