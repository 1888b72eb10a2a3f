package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A listener that keeps every event it receives. */
final class Recorder implements LifecycleListener {
    private final List<LifecycleEvent> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onEvent(LifecycleEvent event) {
        seen.add(event);
    }

    List<LifecycleEvent> events() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    <T extends LifecycleEvent> List<T> of(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    boolean has(Class<? extends LifecycleEvent> type) {
        return !of(type).isEmpty();
    }
}
