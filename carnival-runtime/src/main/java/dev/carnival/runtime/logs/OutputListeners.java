package dev.carnival.runtime.logs;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.OutputLine;
import dev.carnival.api.output.OutputListener;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.output.LineTap;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands captured lines to embedders' {@link OutputListener}s: each has its own bounded queue and
 * platform thread, so a slow one delays only itself; when its queue is full, lines are dropped for
 * it and counted, and it is told the count before the next line it gets.
 */
public final class OutputListeners implements LineTap {
    private static final Logger LOG = LoggerFactory.getLogger(OutputListeners.class);
    /** Lines waiting for one listener before newer ones are dropped for it. */
    static final int QUEUE_CAPACITY = 8192;

    private final List<Channel> channels;

    public OutputListeners(List<OutputListener> listeners) {
        this.channels = listeners.stream().map(Channel::new).toList();
    }

    /** What to tap captured lines with: {@link LineTap#NONE} when there are no listeners. */
    public LineTap tap() {
        return channels.isEmpty() ? LineTap.NONE : this;
    }

    @Override
    public void line(ReplicaId replica, StdStream stream, byte[] bytes, int offset, int length, long millis,
                     boolean continued) {
        OutputLine line = new OutputLine(replica, stream, Arrays.copyOfRange(bytes, offset, offset + length),
                Instant.ofEpochMilli(millis), continued);
        for (Channel c : channels) {
            c.offer(line);
        }
    }

    /** Delivers what is queued, waiting at most {@code timeout} in all, then stops the threads. */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Channel c : channels) {
            c.close();
        }
        for (Channel c : channels) {
            try {
                if (!c.thread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    LOG.warn("output listener {} did not take its lines in time; not waiting for it", c.name);
                    c.thread.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A line, and how many were dropped right before it; no line: the end. */
    private record Entry(OutputLine line, long droppedBefore) {}

    private static final class Channel {
        final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        final OutputListener listener;
        final String name;
        final Thread thread;
        private long dropped; // guarded by this: since the last line queued
        volatile boolean closing;
        boolean failureLogged;

        Channel(OutputListener listener) {
            this.listener = listener;
            this.name = listener.getClass().getName();
            this.thread = Thread.ofPlatform().daemon().name("carnival-output-listener").start(this::drain);
        }

        synchronized void offer(OutputLine line) {
            if (queue.offer(new Entry(line, dropped))) {
                dropped = 0;
            } else if (dropped++ == 0) {
                LOG.debug("output listener {} is {} lines behind; dropping lines for it", name, QUEUE_CAPACITY);
            }
        }

        synchronized void close() {
            closing = true;
            if (queue.offer(new Entry(null, dropped))) { // else the flag ends it after what is queued
                dropped = 0;
            }
        }

        private synchronized long droppedAtEnd() {
            long n = dropped;
            dropped = 0;
            return n;
        }

        private void drain() {
            while (true) {
                Entry next;
                try {
                    next = closing && queue.isEmpty() ? new Entry(null, droppedAtEnd()) : queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (next.droppedBefore() > 0) {
                    call(() -> listener.onDropped(next.droppedBefore()));
                }
                if (next.line() == null) {
                    return;
                }
                call(() -> listener.onLine(next.line()));
            }
        }

        private void call(Runnable call) {
            try {
                call.run();
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                    throw vme;
                }
                if (!failureLogged) {
                    failureLogged = true;
                    LOG.warn("output listener {} failed: {}; further failures of this listener are not logged",
                            name, t.toString());
                }
            }
        }
    }
}
