package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.runtime.plugin.Plugin;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to listeners without letting any of them stall or crash supervision: each
 * listener has its own bounded queue and its own platform thread (a busy-looping listener on a
 * virtual thread could starve the carriers that run the replicas). Order is kept per listener.
 *
 * <p>Publishing never waits, and wakes a listener's thread only when that thread sleeps for good:
 * while events keep coming it looks again by itself every {@link #BATCH}, so a crash loop's
 * events go out in batches instead of one wake-up each, none of them on the path from an exit to
 * the next spawn. The first event after a quiet spell (such as an exit under a policy that never
 * answers) wakes it at once.
 */
final class EventDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final int QUEUE_CAPACITY = 16_384;
    private static final Object CLOSE = new Object();
    /** How late an event may reach a listener that is busy anyway. */
    static final Duration BATCH = Duration.ofMillis(5);
    /** After this long without events a listener's thread sleeps until woken. */
    private static final long QUIET_NANOS = Duration.ofMillis(100).toNanos();

    private final List<Channel> channels;

    EventDispatcher(List<Plugin<LifecycleListener>> listeners) {
        this.channels = listeners.stream().map(Channel::new).toList();
    }

    void publish(LifecycleEvent event) {
        for (Channel c : channels) {
            c.offer(event);
        }
    }

    /** Delivers what is queued, waiting at most {@code timeout} in all for slow listeners. */
    void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Channel c : channels) {
            c.close();
        }
        for (Channel c : channels) {
            try {
                // Once the shared deadline has passed, join(0) still tells a finished listener from a stuck one.
                long left = Math.max(0, deadline - System.nanoTime());
                if (!c.thread.join(Duration.ofNanos(left))) {
                    LOG.warn("listener {} did not finish its events in time; not waiting for it", c.name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final class Channel {
        private static final int RUNNING = 0;
        private static final int LOOKING_AGAIN_SOON = 1;
        private static final int ASLEEP = 2;

        final Queue<Object> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger queued = new AtomicInteger();
        final LifecycleListener listener;
        final String name;
        final Thread thread;
        /** What the listener's thread does now; a publisher wakes it only when ASLEEP. */
        volatile int mode = RUNNING;
        volatile boolean dropWarned;
        boolean failureLogged;

        Channel(Plugin<LifecycleListener> plugin) {
            this.listener = plugin.provider();
            this.name = plugin.name() + " (module " + plugin.module() + ")";
            this.thread = Thread.ofPlatform().daemon().name("carnival-listener-" + plugin.name()).start(this::drain);
        }

        void offer(LifecycleEvent event) {
            if (queued.incrementAndGet() > QUEUE_CAPACITY) {
                queued.decrementAndGet();
                if (!dropWarned) {
                    dropWarned = true;
                    LOG.warn("listener {} is {} events behind; dropping events for it", name, QUEUE_CAPACITY);
                }
                return;
            }
            queue.add(event);
            // The thread sets its mode before it looks at the queue a last time; we add before we
            // read the mode: one of the two sees the other, so no event is left asleep.
            if (mode == ASLEEP) {
                LockSupport.unpark(thread);
            }
        }

        void close() {
            queue.add(CLOSE);
            LockSupport.unpark(thread);
        }

        private void drain() {
            long lastEvent = System.nanoTime();
            while (true) {
                Object next = queue.poll();
                if (next == CLOSE) {
                    return;
                }
                if (next instanceof LifecycleEvent event) {
                    queued.decrementAndGet();
                    deliver(event);
                    lastEvent = System.nanoTime();
                    continue;
                }
                boolean quiet = System.nanoTime() - lastEvent > QUIET_NANOS;
                mode = quiet ? ASLEEP : LOOKING_AGAIN_SOON;
                if (queue.isEmpty()) {
                    if (quiet) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, BATCH.toNanos());
                    }
                }
                mode = RUNNING;
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }

        private void deliver(LifecycleEvent event) {
            try {
                listener.onEvent(event);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                    throw vme;
                }
                if (!failureLogged) {
                    failureLogged = true;
                    LOG.warn("listener {} failed on {}: {}; further failures of this listener are not logged",
                            name, event.getClass().getSimpleName(), t.toString());
                }
                LOG.debug("listener {} failure", name, t);
            }
        }
    }
}
