package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.OutputSink;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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

    private final PollLoop<Pipe> loop = new PollLoop<>("carnival-output", Pipe::fd, new PollLoop.Handler<>() {
        @Override
        public boolean ready(Pipe pipe, short revents) {
            return copy(pipe, revents);
        }

        @Override
        public void release(Pipe pipe) {
            finish(pipe);
        }
    });
    // Used by the loop's thread only; made when it first reads.
    private MemorySegment buffer;
    private byte[] bytes;

    /**
     * Starts copying {@code fd} (a pipe's read end, which this pump now owns) into {@code sink}.
     *
     * @return completes when the pipe has reached end of file and the sink has been flushed
     */
    CompletableFuture<Void> attach(int fd, OutputSink sink) {
        Pipe pipe = new Pipe(fd, sink, new CompletableFuture<>());
        loop.add(pipe); // when closed already, the pipe is finished at once
        return pipe.eof;
    }

    @Override
    public void close() {
        loop.close();
    }

    /** One read from a ready pipe into its sink; false at its end. */
    private boolean copy(Pipe pipe, short revents) {
        if (buffer == null) {
            buffer = Arena.ofAuto().allocate(READ_BYTES);
            bytes = new byte[READ_BYTES];
        }
        // Read even on POLLHUP: data written just before the close is still there.
        // Anything else (POLLNVAL) cannot happen for an fd we own; treat it as the end.
        long got = (revents & (LibC.POLLIN | LibC.POLLHUP | LibC.POLLERR)) != 0
                ? LibC.read(pipe.fd(), buffer, READ_BYTES) : 0;
        if (got > 0) {
            MemorySegment.copy(buffer, 0, MemorySegment.ofArray(bytes), 0, got); // see Memory
            safely(() -> pipe.sink().write(bytes, 0, (int) got));
            return true;
        }
        return got == -Errno.EINTR || got == -Errno.EAGAIN;
    }

    private static void finish(Pipe pipe) {
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
