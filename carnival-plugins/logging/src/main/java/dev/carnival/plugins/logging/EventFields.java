package dev.carnival.plugins.logging;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.DependencyFailed;
import dev.carnival.api.event.LifecycleEvent.DependencyWait;
import dev.carnival.api.event.LifecycleEvent.InitFailed;
import dev.carnival.api.event.LifecycleEvent.InitFinished;
import dev.carnival.api.event.LifecycleEvent.InitStarted;
import dev.carnival.api.event.LifecycleEvent.LivenessFailed;
import dev.carnival.api.event.LifecycleEvent.MemoryLimitExceeded;
import dev.carnival.api.event.LifecycleEvent.ProcessExited;
import dev.carnival.api.event.LifecycleEvent.ProcessStarted;
import dev.carnival.api.event.LifecycleEvent.ReadinessChanged;
import dev.carnival.api.event.LifecycleEvent.ReplicaStopped;
import dev.carnival.api.event.LifecycleEvent.RestartScheduled;
import dev.carnival.api.event.LifecycleEvent.ShutdownRequested;
import dev.carnival.api.event.LifecycleEvent.SignalForwarded;
import dev.carnival.api.event.LifecycleEvent.SpawnFailed;
import dev.carnival.api.event.LifecycleEvent.StopEscalated;
import dev.carnival.api.event.LifecycleEvent.SupervisorStopped;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.Signal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An event's facts as named fields, for a JSON log line: {@code event} (its kind), then
 * {@code service} and {@code replica} where it concerns one, and what else it carries
 * ({@code pid}, {@code code}, {@code signal}...). Numbers stay numbers.
 */
final class EventFields {
    private EventFields() {}

    static Map<String, Object> of(LifecycleEvent event) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("event", kebab(event.getClass().getSimpleName()));
        ReplicaId replica = replicaOf(event);
        if (replica != null) {
            f.put("service", replica.service());
            f.put("replica", replica.index());
        }
        if (event instanceof ProcessStarted e) {
            f.put("pid", e.pid());
            f.put("restart_count", e.restartCount());
        } else if (event instanceof ProcessExited e) {
            f.put("pid", e.pid());
            if (e.status() instanceof ExitStatus.Killed killed) {
                f.put("signal", Signal.describe(killed.signal()));
            } else {
                f.put("code", e.status().asExitCode());
            }
            f.put("uptime_ms", e.uptime().toMillis());
        } else if (event instanceof RestartScheduled e) {
            f.put("restart_count", e.restartCount());
            f.put("delay_ms", e.delay().toMillis());
        } else if (event instanceof ReplicaStopped e) {
            f.put("reason", e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        } else if (event instanceof StopEscalated e) {
            f.put("subject", e.subject());
            f.put("signal", e.signal().signalName());
        } else if (event instanceof SignalForwarded e) {
            f.put("signal", e.signal().signalName());
            f.put("processes", e.processes());
        } else if (event instanceof MemoryLimitExceeded e) {
            f.put("memory_bytes", e.usedBytes());
            f.put("max_memory_bytes", e.limitBytes());
            f.put("max_memory_for_ms", e.lasting().toMillis());
        } else if (event instanceof InitStarted e) {
            f.put("init", e.index());
        } else if (event instanceof InitFinished e) {
            f.put("init", e.index());
        } else if (event instanceof InitFailed e) {
            f.put("init", e.index());
        } else if (event instanceof ShutdownRequested e) {
            f.put("cause", e.cause());
        } else if (event instanceof SupervisorStopped e) {
            f.put("code", e.exitCode());
        } else if (event instanceof LifecycleEvent.ReloadApplied e) {
            f.put("origin", e.origin());
            f.put("result", e.result().halted().isPresent() ? "halted" : "applied");
            f.put("generation", e.result().generation());
        } else if (event instanceof LifecycleEvent.ReloadRejected e) {
            f.put("origin", e.origin());
            f.put("problems", e.problems().size());
        }
        return f;
    }

    /** The replica an event concerns, if it concerns one. */
    private static ReplicaId replicaOf(LifecycleEvent event) {
        if (event instanceof ProcessStarted e) {
            return e.replica();
        } else if (event instanceof ProcessExited e) {
            return e.replica();
        } else if (event instanceof SpawnFailed e) {
            return e.replica();
        } else if (event instanceof RestartScheduled e) {
            return e.replica();
        } else if (event instanceof ReplicaStopped e) {
            return e.replica();
        } else if (event instanceof DependencyWait e) {
            return e.replica();
        } else if (event instanceof DependencyFailed e) {
            return e.replica();
        } else if (event instanceof ReadinessChanged e) {
            return e.replica();
        } else if (event instanceof LivenessFailed e) {
            return e.replica();
        } else if (event instanceof MemoryLimitExceeded e) {
            return e.replica();
        }
        return null;
    }

    /** {@code ProcessExited} becomes {@code process-exited}. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
