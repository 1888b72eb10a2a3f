package dev.carnival.runtime.supervise;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A serial mailbox: messages posted from any thread are handled one at a time, in order, by one
 * consumer. No thread waits on an empty mailbox; a post to an idle one hands a drain to the
 * executor, so a thousand idle replicas hold no thread at all.
 *
 * <p>The handler may also leave work that may block ({@link #afterDrain}): it runs on the same
 * thread once the drain has let the mailbox go, so other messages are handled meanwhile, and what
 * it returns is handled there too when the mailbox is idle by then. A restart (exit, then the
 * policy's answer, then the spawn) so takes one thread hand-off instead of three.
 */
final class Mailbox<M> {
    private final Queue<M> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor executor;
    private final Consumer<M> handler;
    /** Left by the handler during the drain under way; only the draining thread touches it. */
    private List<Supplier<M>> later = new ArrayList<>(1);

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

    /**
     * From the handler only: once this drain is over and the mailbox free, {@code work} runs on
     * the drain's thread and its result is posted. It must not throw.
     */
    void afterDrain(Supplier<M> work) {
        later.add(work);
    }

    private void drain() {
        boolean mine = true;
        while (mine) {
            List<Supplier<M>> left = List.of();
            do {
                for (M m; (m = queue.poll()) != null; ) {
                    handler.accept(m);
                }
                if (!later.isEmpty()) {
                    // Taken while the mailbox is still ours: the next drain's handler may add at once.
                    left = concat(left, later);
                    later = new ArrayList<>(1);
                }
                draining.set(false);
                // A post that came between the last poll and the reset saw "draining" and left it to us.
            } while (!queue.isEmpty() && draining.compareAndSet(false, true));
            if (left.isEmpty()) {
                return;
            }
            for (Supplier<M> work : left) {
                queue.add(work.get());
            }
            // As post() would, but handled here rather than on a new thread; or by the drain under way.
            mine = draining.compareAndSet(false, true);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        if (a.isEmpty()) {
            return b;
        }
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
