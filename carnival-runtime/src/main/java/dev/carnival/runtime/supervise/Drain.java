package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code [global] drain-ms}: a shutdown asked for while services run first waits that long, with
 * phase {@code draining} (readiness fails, nothing is stopped), cut short by a second shutdown
 * signal or by every service finishing.
 */
final class Drain {
    /** The running config's drain-ms: a reload may change it until a drain begins. */
    private final Supplier<Duration> configured;
    private volatile Duration length = Duration.ZERO; // set when the drain begins
    /** The shutdown that started the drain: its cause. */
    private final CompletableFuture<String> asked = new CompletableFuture<>();
    /** A second shutdown signal during the drain: its cause. */
    private final CompletableFuture<String> cut = new CompletableFuture<>();

    Drain(Supplier<Duration> configured) {
        this.configured = configured;
    }

    /** True when a shutdown asked for now drains first, and this call started the drain. */
    boolean begin(String cause) {
        Duration now = configured.get();
        if (now.isZero() || asked.isDone()) {
            return false;
        }
        length = now; // before it is seen begun: await reads it
        return asked.complete(cause);
    }

    boolean begun() {
        return asked.isDone();
    }

    CompletableFuture<String> asked() {
        return asked;
    }

    /** Ends the drain now; true if one was under way and this call ended it. */
    boolean cut(String cause) {
        return asked.isDone() && cut.complete(cause);
    }

    /** Waits out the drain on the supervisor thread; returns the cause of the shutdown that began it. */
    String await(CompletableFuture<Void> settled, EventSink events) {
        events.publish(new LifecycleEvent.Draining(Instant.now(), length));
        try {
            CompletableFuture.anyOf(cut, settled).get(length.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException over) {
            // the drain's time is over
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (cut.isDone()) {
            events.publish(new LifecycleEvent.DrainCut(Instant.now(), cut.join()));
        }
        return asked.join();
    }
}
