package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.runtime.plugin.Plugin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {
    /** Released after each test, so blocked listener threads end. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseBlockedListeners() {
        release.countDown();
    }

    private static Plugin<LifecycleListener> plugin(String name, LifecycleListener l) {
        return new Plugin<>("listener", name, l, "test", "embedder");
    }

    private static LifecycleEvent event(int i) {
        return new LifecycleEvent.ShutdownRequested(Instant.EPOCH, "event " + i);
    }

    private static List<LifecycleEvent> events(int n) {
        return IntStream.range(0, n).mapToObj(EventDispatcherTest::event).toList();
    }

    /** Records what it receives. */
    private static final class Recorder implements LifecycleListener {
        final List<LifecycleEvent> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onEvent(LifecycleEvent event) {
            seen.add(event);
        }

        List<LifecycleEvent> snapshot() {
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }
    }

    /** LifecycleListener has only a default method, so it is no functional interface. */
    private static LifecycleListener listener(java.util.function.Consumer<LifecycleEvent> body) {
        return new LifecycleListener() {
            @Override
            public void onEvent(LifecycleEvent event) {
                body.accept(event);
            }
        };
    }

    private LifecycleListener blocker(CountDownLatch entered) {
        return listener(event -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void eventsArriveInOrderForEachListener() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        EventDispatcher d = new EventDispatcher(List.of(plugin("a", a), plugin("b", b)));
        List<LifecycleEvent> sent = events(2000);
        sent.forEach(d::publish);
        Await.until("a got everything", () -> a.seen.size() == sent.size());
        Await.until("b got everything", () -> b.seen.size() == sent.size());
        d.close(Await.LONG);
        assertEquals(sent, a.snapshot());
        assertEquals(sent, b.snapshot());
    }

    @Test
    void closeDeliversWhatIsQueued() {
        Recorder a = new Recorder();
        EventDispatcher d = new EventDispatcher(List.of(plugin("a", a)));
        List<LifecycleEvent> sent = events(500);
        sent.forEach(d::publish);
        assertTimeoutPreemptively(Await.LONG, () -> d.close(Await.LONG));
        assertEquals(sent, a.snapshot());
    }

    @Test
    void publishingFromManyThreadsKeepsEachThreadsOrder() throws InterruptedException {
        Recorder a = new Recorder();
        EventDispatcher d = new EventDispatcher(List.of(plugin("a", a)));
        int threads = 4;
        int each = 500;
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            publishers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    d.publish(event(base + i));
                }
            }));
        }
        for (Thread t : publishers) {
            t.join();
        }
        Await.until("a got everything", () -> a.seen.size() == threads * each);
        d.close(Await.LONG);
        for (int t = 0; t < threads; t++) {
            int lo = t * each;
            List<Integer> mine = a.snapshot().stream()
                    .map(e -> Integer.parseInt(((LifecycleEvent.ShutdownRequested) e).cause().substring(6)))
                    .filter(i -> i >= lo && i < lo + each)
                    .toList();
            assertEquals(IntStream.range(lo, lo + each).boxed().toList(), mine);
        }
    }

    @Test
    void aThrowingListenerIsIsolated() {
        AtomicInteger calls = new AtomicInteger();
        LifecycleListener thrower = listener(event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        });
        LifecycleListener errorThrower = listener(event -> {
            throw new AssertionError("not even an exception");
        });
        Recorder b = new Recorder();
        EventDispatcher d = new EventDispatcher(List.of(plugin("thrower", thrower), plugin("error", errorThrower),
                plugin("b", b)));
        List<LifecycleEvent> sent = events(100);
        sent.forEach(d::publish); // never throws
        Await.until("b got everything", () -> b.seen.size() == sent.size());
        Await.until("the thrower was called for every event", () -> calls.get() == sent.size());
        d.close(Await.LONG);
        assertEquals(sent, b.snapshot());
    }

    @Test
    void aBlockedListenerBlocksNeitherPublishNorOthers() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        Recorder b = new Recorder();
        EventDispatcher d = new EventDispatcher(List.of(plugin("stuck", blocker(entered)), plugin("b", b)));
        List<LifecycleEvent> sent = events(1000);
        assertTimeoutPreemptively(Await.LONG, () -> sent.forEach(d::publish));
        assertTrue(entered.await(Await.LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        Await.until("b got everything while the other listener is stuck", () -> b.seen.size() == sent.size());
        assertEquals(sent, b.snapshot());
        // close waits about its timeout for the stuck listener, then gives up on it.
        assertTimeoutPreemptively(Await.LONG, () -> d.close(Duration.ofMillis(200)));
    }

    @Test
    void aFullQueueDropsEventsInsteadOfBlockingPublish() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        EventDispatcher d = new EventDispatcher(List.of(plugin("stuck", blocker(entered))));
        d.publish(event(-1));
        assertTrue(entered.await(Await.LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        // Far more than the queue holds: publish must still return.
        assertTimeoutPreemptively(Await.LONG, () -> {
            for (int i = 0; i < 40_000; i++) {
                d.publish(event(i));
            }
        });
        assertTimeoutPreemptively(Await.LONG, () -> d.close(Duration.ofMillis(100)));
    }

    @Test
    void noListeners() {
        EventDispatcher d = new EventDispatcher(List.of());
        d.publish(event(1));
        assertTimeoutPreemptively(Await.LONG, () -> d.close(Duration.ZERO));
    }

    @Test
    void publishAfterCloseIsHarmless() {
        Recorder a = new Recorder();
        EventDispatcher d = new EventDispatcher(List.of(plugin("a", a)));
        d.publish(event(1));
        d.close(Await.LONG);
        d.publish(event(2));
        assertEquals(List.of(event(1)), a.snapshot());
    }
}
