package dev.carnival.runtime.supervise;

import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.runtime.depend.Orchestration;
import dev.carnival.runtime.depend.ReplicaLink;
import dev.carnival.runtime.logs.CapturedOutput;
import dev.carnival.runtime.resources.ResourceMonitor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a supervisor watches besides its processes' lives: their captured output (buffers and
 * embedders' listeners) and their resources, sampled on the supervisor's timer.
 *
 * @param output    the captured services' output, or null when none is captured
 * @param resources the sampler, or null when {@code resource-period-ms = 0}
 */
record Observation(CapturedOutput output, ResourceMonitor resources) {
    /** Nothing captured, nothing sampled. */
    static final Observation NONE = new Observation(null, null);

    /** Starts sampling once replicas run; a replica over its max-memory is stopped through its link. */
    void start(SharedTimer timer, ReplicaSet replicas, Orchestration orchestration, Consumer<LifecycleEvent> events) {
        if (resources == null || timer == null) {
            return;
        }
        resources.start(timer.executor(), () -> runningGroups(replicas), over ->
                // Said first; then its run is stopped as a failed liveness probe stops it: gracefully,
                // and its restart policy decides as after any exit.
                orchestration.link(over.replica()).filter(ReplicaLink::running).ifPresent(link -> {
                    events.accept(over);
                    link.overMemory(); // false only if the run ended just now: then there is nothing to stop
                }));
    }

    /** Each running replica's process group (its process runs in a session of its own: the group is its pid). */
    private static Map<ReplicaId, Long> runningGroups(ReplicaSet replicas) {
        Map<ReplicaId, Long> groups = new HashMap<>();
        for (ReplicaStatus r : replicas.status()) {
            if (r.pid().isPresent()) {
                groups.put(r.replica(), r.pid().getAsLong());
            }
        }
        return groups;
    }

    /** {@code statuses} with the latest samples of the replicas that run. */
    List<ReplicaStatus> withResources(List<ReplicaStatus> statuses) {
        if (resources == null) {
            return statuses;
        }
        return statuses.stream().map(s -> s.withResources(
                s.pid().isEmpty() ? Optional.empty() : resources.usage(s.replica()),
                resources.memoryRestarts(s.replica()))).toList();
    }

    /** Stops sampling, and gives output listeners at most {@code flush} to finish. */
    void close(Duration flush) {
        if (resources != null) {
            resources.close();
        }
        if (output != null) {
            output.close(flush);
        }
    }
}
