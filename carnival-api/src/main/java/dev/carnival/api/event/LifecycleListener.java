package dev.carnival.api.event;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives a supervisor's {@link LifecycleEvent}s, in the order they happened. Found with
 * {@link java.util.ServiceLoader}, or handed to an embedded supervisor.
 *
 * <p>Each listener is called on a thread of its own, never on a supervision thread: a slow
 * listener delays only itself, and an exception it throws is logged (once per listener) and
 * otherwise ignored. Events queue up while a listener is busy; a listener that falls far behind
 * loses events, which is logged. A replica's {@link LifecycleEvent.ProcessExited} arrives once its
 * restart policy has answered, right before what followed (its {@code at} is still the exit's).
 */
public interface LifecycleListener {

    /** A listener that does nothing. */
    LifecycleListener NOOP = new LifecycleListener() {};

    /** Called once per event. */
    default void onEvent(LifecycleEvent event) {}

    /** A listener from a lambda, for embedders: {@code LifecycleListener.of(e -> log(e))}. */
    static LifecycleListener of(Consumer<? super LifecycleEvent> onEvent) {
        Objects.requireNonNull(onEvent, "onEvent");
        return new LifecycleListener() {
            @Override
            public void onEvent(LifecycleEvent event) {
                onEvent.accept(event);
            }
        };
    }
}
