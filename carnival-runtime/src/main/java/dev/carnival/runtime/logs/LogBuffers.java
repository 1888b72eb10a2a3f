package dev.carnival.runtime.logs;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.output.LineBatch;
import dev.carnival.runtime.output.LineTap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The last lines of every captured service ({@code log-buffer-lines} each), across its replicas'
 * runs, and the {@link Follower}s reading them. A writer (the output thread) only stores a line
 * and wakes followers that wait; it never waits for one. A follower that falls more than a
 * buffer behind loses the oldest lines, and is told how many.
 *
 * <p>One lock for all the buffers: lines get their sequence numbers in the order they are
 * stored, so lines of several services are read back in the order they were written. Nothing
 * slow is done under it: a store copies one line in, a read copies out the lines it returns.
 */
public final class LogBuffers {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    /** Replaced, never edited, by a reload: read without the lock. */
    private volatile Map<String, LineRing> rings;
    // Guarded by lock.
    private long next;
    private int waiting;
    private boolean closed;

    /** @param capacities each captured service's {@code log-buffer-lines}, by name, in config order */
    public LogBuffers(Map<String, Integer> capacities) {
        Map<String, LineRing> made = new LinkedHashMap<>();
        capacities.forEach((name, capacity) -> made.put(name, new LineRing(capacity)));
        rings = Collections.unmodifiableMap(made);
    }

    /**
     * A reload: the captured services from now on, each with its {@code log-buffer-lines}. A new
     * one gets a buffer; a changed size keeps the newest lines that fit, and the taps already
     * handed out store into it as resized; a service no longer captured (or removed) has its
     * buffer dropped, its lines with it.
     */
    public void adopt(Map<String, Integer> capacities) {
        lock.lock();
        try {
            Map<String, LineRing> next = new LinkedHashMap<>();
            capacities.forEach((name, capacity) -> {
                LineRing ring = rings.get(name);
                if (ring == null) {
                    ring = new LineRing(capacity);
                } else if (ring.capacity() != capacity) {
                    ring.resize(capacity);
                }
                next.put(name, ring);
            });
            rings = Collections.unmodifiableMap(next);
        } finally {
            lock.unlock();
        }
    }

    /** The services whose lines pass through here, in config order. */
    public Set<String> services() {
        return rings.keySet();
    }

    /** How many lines {@code service} keeps. */
    public int capacity(String service) {
        return ring(service).capacity();
    }

    /** What stores {@code service}'s lines: give it to its replicas' sinks. A reload may resize the buffer. */
    public LineTap tap(String service) {
        return new Tap(ring(service));
    }

    private LineRing ring(String service) {
        LineRing ring = rings.get(service);
        if (ring == null) {
            throw new IllegalArgumentException("no buffer for service '" + service + "'");
        }
        return ring;
    }

    /**
     * Stores a service's lines, a read's lines under one hold of the lock; a named class, not a
     * lambda spun at start. Its ring's size is read without the lock, so a buffer of no lines
     * costs nothing; a reload that resizes it to none meanwhile makes the ring drop the lines.
     */
    private final class Tap implements LineTap {
        private final LineRing ring;

        Tap(LineRing ring) {
            this.ring = ring;
        }

        @Override
        public void line(ReplicaId replica, StdStream stream, byte[] bytes, int offset, int length, long millis,
                         boolean continued) {
            if (ring.capacity() == 0) {
                return;
            }
            lock.lock();
            try {
                ring.store(next++, replica, stream, millis, continued, bytes, offset, length);
                wake();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void lines(ReplicaId replica, StdStream stream, LineBatch batch, long millis) {
            if (ring.capacity() == 0) {
                return;
            }
            lock.lock();
            try {
                for (int k = 0; k < batch.count(); k++) {
                    ring.store(next++, replica, stream, millis, batch.continued(k), batch.bytes(), batch.start(k),
                            batch.length(k));
                }
                wake();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Lock held: lines were stored. */
    private void wake() {
        if (waiting > 0) {
            written.signalAll();
        }
    }

    /** Wakes every follower for good: nothing more will be written. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            written.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A reader of {@code services}' lines whose replica passes {@code replicas}, starting with at
     * most {@code last} of those buffered now (all of them when {@code last} is negative).
     */
    public Follower follow(Collection<String> services, Predicate<ReplicaId> replicas, int last) {
        List<LineRing> chosen = services.stream().map(this::ring).toList();
        return new Follower(chosen, replicas, last);
    }

    /**
     * What a follower read: lines in the order they were written, and how many lines it lost
     * before them because it fell more than a buffer behind.
     */
    public record Batch(List<BufferedLine> lines, long lost) {}

    /** Reads lines as they are written. One thread at a time. */
    public final class Follower {
        private final List<LineRing> rings;
        private final Predicate<ReplicaId> replicas;
        private final Map<LineRing, Long> cursors = new HashMap<>();
        private Batch first;

        private Follower(List<LineRing> rings, Predicate<ReplicaId> replicas, int last) {
            this.rings = rings;
            this.replicas = replicas;
            lock.lock();
            try {
                List<BufferedLine> lines = new ArrayList<>();
                for (LineRing ring : rings) {
                    cursors.put(ring, ring.oldest());
                }
                collect(lines);
                first = new Batch(last < 0 || lines.size() <= last ? lines
                        : List.copyOf(lines.subList(lines.size() - last, lines.size())), 0);
            } finally {
                lock.unlock();
            }
        }

        /**
         * The lines written since the last call (the buffered ones, at the first), waiting up to
         * {@code timeout} for one when there are none. Empty once the buffers are closed and read.
         */
        public Batch next(long timeout, TimeUnit unit) throws InterruptedException {
            if (first != null) {
                Batch b = first;
                first = null;
                return b;
            }
            long left = unit.toNanos(timeout);
            lock.lock();
            try {
                while (true) {
                    List<BufferedLine> lines = new ArrayList<>();
                    long lost = collect(lines);
                    if (!lines.isEmpty() || lost > 0 || closed || left <= 0) {
                        return new Batch(lines, lost);
                    }
                    waiting++;
                    try {
                        left = written.awaitNanos(left);
                    } finally {
                        waiting--;
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** True once nothing more can come. */
        public boolean closed() {
            lock.lock();
            try {
                return closed;
            } finally {
                lock.unlock();
            }
        }

        /** Under the lock: moves every cursor to the end, gathering what it passes; returns what was lost. */
        private long collect(List<BufferedLine> into) {
            long lost = 0;
            for (LineRing ring : rings) {
                long from = cursors.get(ring);
                long oldest = ring.oldest();
                if (from < oldest) {
                    lost += oldest - from;
                    from = oldest;
                }
                for (long i = from; i < ring.appended(); i++) {
                    if (replicas.test(ring.replica(i))) {
                        into.add(ring.line(i));
                    }
                }
                cursors.put(ring, ring.appended());
            }
            if (rings.size() > 1) {
                into.sort(Comparator.comparingLong(BufferedLine::seq));
            }
            return lost;
        }
    }
}
