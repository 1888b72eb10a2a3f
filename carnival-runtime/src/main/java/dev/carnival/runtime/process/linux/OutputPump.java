package dev.carnival.runtime.process.linux;

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

    private record Pipe(int fd, OutputSink sink, CompletableFuture<Void> eof) {}

    private final Object lock = new Object();
    private final List<Pipe> added = new ArrayList<>(); // guarded by lock
    private boolean closed; // guarded by lock
    private PollSet pollSet; // guarded by lock; null until the thread starts
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
                pollSet = new PollSet();
                thread = Thread.ofPlatform().daemon().name("carnival-output").unstarted(this::run);
                thread.start();
            }
            added.add(pipe);
            pollSet.wake();
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
                pollSet.wake();
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

    private void run() {
        PollSet pollSet;
        synchronized (lock) {
            pollSet = this.pollSet;
        }
        List<Pipe> open = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(READ_BYTES);
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
                if (changed) {
                    pollSet.resize(open.size());
                    for (int i = 0; i < open.size(); i++) {
                        pollSet.set(i, open.get(i).fd());
                    }
                    changed = false;
                }
                if (pollSet.poll(-1) <= 0) {
                    continue; // a wake-up, or EINTR
                }
                List<Pipe> finished = new ArrayList<>();
                for (int i = 0; i < open.size(); i++) {
                    short re = pollSet.revents(i);
                    if (re == 0) {
                        continue;
                    }
                    Pipe pipe = open.get(i);
                    // Read even on POLLHUP: data written just before the close is still there.
                    // Anything else (POLLNVAL) cannot happen for an fd we own; treat it as the end.
                    long got = (re & (LibC.POLLIN | LibC.POLLHUP | LibC.POLLERR)) != 0
                            ? LibC.read(pipe.fd(), buffer, READ_BYTES) : 0;
                    if (got > 0) {
                        MemorySegment.copy(buffer, 0, MemorySegment.ofArray(bytes), 0, got); // see Memory
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
                pollSet.close();
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
}
