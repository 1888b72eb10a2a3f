package dev.carnival.runtime.process.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * One platform thread that poll(2)s a changing set of fds and hands each ready one to a
 * {@link Handler}; the thread starts with the first fd. An fd is only released (closed) once the
 * thread no longer polls it, so its number can never be reused under a poll that still watches it.
 *
 * @param <T> what is watched, an fd with whatever its handler needs
 */
final class PollLoop<T> implements AutoCloseable {
    /** What the loop does with the items it watches; called on its thread unless said otherwise. */
    interface Handler<T> {
        /**
         * The item's fd is ready with {@code revents}.
         *
         * @return false when the item is done with: the loop stops watching it and releases it
         */
        boolean ready(T item, short revents);

        /**
         * The loop no longer watches the item: closes its fd. On the caller's thread when the
         * loop was closed before it took the item.
         */
        void release(T item);
    }

    private final String threadName;
    private final ToIntFunction<T> fd;
    private final Handler<T> handler;
    private final Object lock = new Object();
    private final List<T> watched = new ArrayList<>(); // guarded by lock
    private final List<T> retired = new ArrayList<>(); // guarded by lock: removed, to be released
    private boolean changed; // guarded by lock
    private boolean closed; // guarded by lock
    private PollSet pollSet; // guarded by lock; null until the thread starts
    private Thread thread; // guarded by lock

    PollLoop(String threadName, ToIntFunction<T> fd, Handler<T> handler) {
        this.threadName = threadName;
        this.fd = fd;
        this.handler = handler;
    }

    /**
     * Watches {@code item} from now on, starting the thread if none runs.
     *
     * @return false when the loop is closed: then the item has been released already
     */
    boolean add(T item) {
        synchronized (lock) {
            if (!closed) {
                if (thread == null) {
                    pollSet = new PollSet();
                    thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
                    thread.start();
                }
                watched.add(item);
                changed = true;
                pollSet.wake();
                return true;
            }
        }
        handler.release(item);
        return false;
    }

    /** Stops watching {@code item}; the thread releases it before its next poll. Any thread. */
    void remove(T item) {
        synchronized (lock) {
            if (watched.remove(item)) { // only while the thread runs: it starts with the first item
                retired.add(item);
                changed = true;
                pollSet.wake();
            }
        }
    }

    /** Stops the thread (waiting up to 5 s), which releases every item. */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            t = thread;
            if (t != null && !closed) {
                pollSet.wake(); // only once: the thread closes the poll set (and its eventfd) as it ends
            }
            closed = true;
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
        PollSet polls;
        synchronized (lock) {
            polls = pollSet;
        }
        List<T> polled = List.of();
        try {
            while (true) {
                List<T> released = List.of();
                boolean rebuild;
                synchronized (lock) {
                    if (closed) {
                        break;
                    }
                    rebuild = changed;
                    if (changed) {
                        polled = List.copyOf(watched);
                        released = List.copyOf(retired);
                        retired.clear();
                        changed = false;
                    }
                }
                if (rebuild) {
                    polls.resize(polled.size());
                    for (int i = 0; i < polled.size(); i++) {
                        polls.set(i, fd.applyAsInt(polled.get(i)));
                    }
                }
                released.forEach(handler::release); // not polled any more
                if (polls.poll(-1) <= 0) {
                    continue; // a wake-up, or EINTR
                }
                List<T> done = new ArrayList<>(0);
                for (int i = 0; i < polled.size(); i++) {
                    short revents = polls.revents(i);
                    if (revents != 0 && !handler.ready(polled.get(i), revents)) {
                        done.add(polled.get(i));
                    }
                }
                if (!done.isEmpty()) {
                    synchronized (lock) {
                        done.removeIf(item -> !watched.remove(item)); // one removed meanwhile is in retired
                        changed = true;
                    }
                    done.forEach(handler::release); // the next poll set, made before the next poll, lacks them
                }
            }
        } finally {
            List<T> left;
            synchronized (lock) {
                left = new ArrayList<>(watched);
                left.addAll(retired);
                watched.clear();
                retired.clear();
                polls.close();
            }
            left.forEach(handler::release);
        }
    }
}
