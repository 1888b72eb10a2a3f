package dev.carnival.api.event;

/**
 * Receives a supervisor's {@link LifecycleEvent}s, in the order they happened. Found with
 * {@link java.util.ServiceLoader}, or handed to an embedded supervisor.
 *
 * <p>Each listener is called on a thread of its own, never on a supervision thread: a slow
 * listener delays only itself, and an exception it throws is logged (once per listener) and
 * otherwise ignored. Events queue up while a listener is busy; a listener that falls far behind
 * loses events, which is logged.
 */
public interface LifecycleListener {

    /** A listener that does nothing. */
    LifecycleListener NOOP = new LifecycleListener() {};

    /** Called once per event. */
    default void onEvent(LifecycleEvent event) {}
}
