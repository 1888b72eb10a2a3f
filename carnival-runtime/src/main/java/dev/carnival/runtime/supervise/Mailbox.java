package dev.carnival.runtime.supervise;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A serial mailbox: messages posted from any thread are handled one at a time, in order, by one
 * consumer. No thread waits on an empty mailbox; a post to an idle one hands a drain to the
 * executor, so a thousand idle replicas hold no thread at all.
 */
final class Mailbox<M> {
    private final Queue<M> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor executor;
    private final Consumer<M> handler;

    Mailbox(Executor executor, Consumer<M> handler) {
        this.executor = executor;
        this.handler = handler;
    }

    /** Queues {@code message}; safe from any thread, including the handler itself. */
    void post(M message) {
        queue.add(message);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        do {
            for (M m; (m = queue.poll()) != null; ) {
                handler.accept(m);
            }
            draining.set(false);
            // A post that came between the last poll and the reset saw "draining" and left it to us.
        } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }
}
