package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The mailbox on real virtual threads, as replicas use it. */
class MailboxTest {
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().start(task);

    @Test
    void workLeftForAfterTheDrainDoesNotHoldTheMailbox() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        CountDownLatch resultHandled = new CountDownLatch(1);
        AtomicReference<Mailbox<String>> box = new AtomicReference<>();
        box.set(new Mailbox<>(VIRTUAL, m -> {
            handled.add(m);
            if (m.equals("exit")) {
                box.get().afterDrain(() -> {
                    release.join(); // a policy that takes its time
                    return "decided";
                });
            }
            if (m.equals("decided")) {
                resultHandled.countDown();
            }
        }));
        box.get().post("exit");
        box.get().post("shutdown"); // posted while the work blocks: handled anyway
        Await.until("shutdown handled while the work blocks", () -> handled.contains("shutdown"));
        assertFalse(handled.contains("decided"), "the work has not returned yet");
        release.complete(null);
        assertTrue(resultHandled.await(30, TimeUnit.SECONDS), "the work's result is handled");
        assertEquals(List.of("exit", "shutdown", "decided"), handled);
    }

    @Test
    void theWorksResultIsHandledOnTheThreadThatRanItWhenTheMailboxIsIdle() throws Exception {
        AtomicReference<Thread> ranWork = new AtomicReference<>();
        AtomicReference<Thread> handledResult = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Mailbox<String>> box = new AtomicReference<>();
        box.set(new Mailbox<>(VIRTUAL, m -> {
            if (m.equals("exit")) {
                box.get().afterDrain(() -> {
                    ranWork.set(Thread.currentThread());
                    return "decided";
                });
            } else {
                handledResult.set(Thread.currentThread());
                done.countDown();
            }
        }));
        box.get().post("exit");
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(ranWork.get(), handledResult.get(), "no hand-off to another thread");
    }

    @Test
    void manyPostersLoseNothingAndNeverOverlap() throws Exception {
        int posters = 8;
        int each = 2_000;
        AtomicInteger handled = new AtomicInteger();
        AtomicBoolean inside = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        AtomicReference<Mailbox<Integer>> box = new AtomicReference<>();
        box.set(new Mailbox<>(VIRTUAL, m -> {
            if (!inside.compareAndSet(false, true)) {
                overlapped.set(true);
            }
            if (m % 100 == 0) {
                box.get().afterDrain(() -> -1); // work whose result comes back through the queue
            }
            handled.incrementAndGet();
            inside.set(false);
        }));
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[posters];
        for (int p = 0; p < posters; p++) {
            threads[p] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 1; i <= each; i++) {
                    box.get().post(i);
                }
            });
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        int results = posters * (each / 100);
        Await.until("every message and every result handled", () -> handled.get() == posters * each + results);
        assertFalse(overlapped.get(), "two drains handled messages at once");
    }
}
