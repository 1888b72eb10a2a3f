package dev.carnival.api;

import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.JobStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ResourceUsage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One replica at one moment.
 *
 * @param pid           the running process, if any
 * @param ready         its process runs and passes its readiness probe (or has none)
 * @param restartCount  how many times it was restarted
 * @param uptime        how long its current process has been running, if one is
 * @param lastExit      how its latest process ended, if one has
 * @param stopReason    why it stopped for good, when {@code state} is {@link ReplicaState#STOPPED}
 * @param probeFailures readiness and liveness probe failures so far
 * @param job           for a scheduled job: its next run, last result and counts
 * @param notifyStatus  the last {@code STATUS=} its process sent on {@code $NOTIFY_SOCKET}, if any
 * @param resources     CPU and memory of its process group at the latest sample, while it runs
 *                      and resources are sampled ({@code resource-period-ms})
 * @param memoryRestarts how many times it was stopped for staying over its {@code max-memory}
 */
public record ReplicaStatus(ReplicaId replica, ReplicaState state, OptionalLong pid, boolean ready,
                            int restartCount, Optional<Duration> uptime, Optional<ExitStatus> lastExit,
                            Optional<StopReason> stopReason, long probeFailures, Optional<JobStatus> job,
                            Optional<String> notifyStatus, Optional<ResourceUsage> resources, long memoryRestarts) {
    /** Rejects nulls; an absent value is an empty optional. */
    public ReplicaStatus {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(lastExit, "lastExit");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(notifyStatus, "notifyStatus");
        Objects.requireNonNull(resources, "resources");
    }

    /** A status without a resource sample. */
    public ReplicaStatus(ReplicaId replica, ReplicaState state, OptionalLong pid, boolean ready, int restartCount,
                         Optional<Duration> uptime, Optional<ExitStatus> lastExit, Optional<StopReason> stopReason,
                         long probeFailures, Optional<JobStatus> job, Optional<String> notifyStatus) {
        this(replica, state, pid, ready, restartCount, uptime, lastExit, stopReason, probeFailures, job, notifyStatus,
                Optional.empty(), 0);
    }

    /** This status with {@code resources} and {@code memoryRestarts}. */
    public ReplicaStatus withResources(Optional<ResourceUsage> resources, long memoryRestarts) {
        return new ReplicaStatus(replica, state, pid, ready, restartCount, uptime, lastExit, stopReason, probeFailures,
                job, notifyStatus, resources, memoryRestarts);
    }

    /** A replica of a service that is no job and sends no notify status. */
    public ReplicaStatus(ReplicaId replica, ReplicaState state, OptionalLong pid, boolean ready, int restartCount,
                         Optional<Duration> uptime, Optional<ExitStatus> lastExit, Optional<StopReason> stopReason,
                         long probeFailures) {
        this(replica, state, pid, ready, restartCount, uptime, lastExit, stopReason, probeFailures, Optional.empty(),
                Optional.empty());
    }

    /**
     * True when this replica ought to be running now: it has not stopped for good, or it stopped
     * for good after a failure. A replica that completed (exit 0, not restarted), was stopped by
     * an operator, or stopped because the supervisor shuts down, ought not; nor a job between runs.
     */
    public boolean shouldBeRunning() {
        if (state == ReplicaState.SCHEDULED) {
            return false;
        }
        if (state != ReplicaState.STOPPED) {
            return true;
        }
        return switch (stopReason.orElse(StopReason.SHUTDOWN)) {
            case SHUTDOWN, OPERATOR -> false;
            case POLICY -> lastExit.map(s -> !s.success()).orElse(false);
            case RESTART_LIMIT, POLICY_ERROR, DEPENDENCY, INTERNAL_ERROR -> true;
        };
    }
}
