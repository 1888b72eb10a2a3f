package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.runtime.plugin.Plugin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to listeners without letting any of them stall or crash supervision: each
 * listener has its own bounded queue and its own platform thread (a busy-looping listener on a
 * virtual thread could starve the carriers that run the replicas). Order is kept per listener.
 */
final class EventDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final int QUEUE_CAPACITY = 16_384;
    private static final Object CLOSE = new Object();

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
            c.queue.offer(CLOSE);
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
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        final LifecycleListener listener;
        final String name;
        final Thread thread;
        volatile boolean dropWarned;
        boolean failureLogged;

        Channel(Plugin<LifecycleListener> plugin) {
            this.listener = plugin.provider();
            this.name = plugin.name() + " (module " + plugin.module() + ")";
            this.thread = Thread.ofPlatform().daemon().name("carnival-listener-" + plugin.name()).start(this::drain);
        }

        void offer(LifecycleEvent event) {
            if (!queue.offer(event) && !dropWarned) {
                dropWarned = true;
                LOG.warn("listener {} is {} events behind; dropping events for it", name, QUEUE_CAPACITY);
            }
        }

        private void drain() {
            while (true) {
                Object next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (next == CLOSE) {
                    return;
                }
                if (next instanceof LifecycleEvent event) {
                    deliver(event);
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
