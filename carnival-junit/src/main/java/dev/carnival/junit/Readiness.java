package dev.carnival.junit;

import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.SupervisorStatus.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a supervisor stands against the extension's goal: every replica that ought to run is
 * running and ready. A replica that completed, or was stopped on purpose, counts as done.
 *
 * @param lagging  the replicas that ought to run and are not running and ready yet
 * @param hopeless why waiting longer cannot help (the supervisor stops, a replica stopped for
 *                 good after a failure), or null
 */
record Readiness(SupervisorStatus status, List<ReplicaStatus> lagging, String hopeless) {
    Readiness {
        lagging = List.copyOf(lagging);
    }

    static Readiness of(SupervisorStatus status) {
        List<ReplicaStatus> lagging = new ArrayList<>();
        String hopeless = null;
        for (ReplicaStatus r : status.replicas()) {
            if (!r.shouldBeRunning() || (r.state() == ReplicaState.RUNNING && r.ready())) {
                continue;
            }
            lagging.add(r);
            if (hopeless == null && r.state() == ReplicaState.STOPPED) {
                hopeless = r.replica() + " stopped for good ("
                        + r.stopReason().map(reason -> reason.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                                .orElse("no reason") + ")";
            }
        }
        if (hopeless == null && (status.phase() == Phase.STOPPING || status.phase() == Phase.STOPPED)) {
            hopeless = "the supervisor is " + status.phase().id();
        }
        return new Readiness(status, lagging, hopeless);
    }

    /** Every replica that ought to run is running and ready, and the init commands are done. */
    boolean ready() {
        return hopeless == null && lagging.isEmpty() && status.phase() == Phase.RUNNING;
    }
}
