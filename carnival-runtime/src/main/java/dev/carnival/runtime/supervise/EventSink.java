package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;

/** Where supervision code reports what happened. */
@FunctionalInterface
interface EventSink {
    void publish(LifecycleEvent event);
}
