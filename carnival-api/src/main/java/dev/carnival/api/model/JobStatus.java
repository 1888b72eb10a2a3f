package dev.carnival.api.model;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A scheduled job's replica at one moment.
 *
 * @param zone        the zone its schedule is read in ({@code schedule-timezone}), for showing times
 * @param nextRun     when its schedule fires next
 * @param lastResult  how its last firing went, if one has
 * @param lastSuccess when its last successful run ended, if one has
 * @param successes   runs that ended with one of the service's success exit codes
 * @param failures    runs that ended otherwise (after the restart policy's retries within the run)
 * @param skipped     firings skipped because the last run still ran ({@code overlap = "skip"})
 */
public record JobStatus(ZoneId zone, Optional<Instant> nextRun, Optional<Result> lastResult, Optional<Instant> lastSuccess,
                        long successes, long failures, long skipped) {
    /** Rejects nulls; an absent value is an empty {@link Optional}. */
    public JobStatus {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(nextRun, "nextRun");
        Objects.requireNonNull(lastResult, "lastResult");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
    }

    /** How a firing went: the {@code result} label of {@code carnival_job_runs_total}. */
    public enum Result {
        /** The run ended with one of the service's success exit codes. */
        SUCCESS,
        /** The run ended otherwise. */
        FAILURE,
        /** The firing was skipped because the last run still ran. */
        SKIPPED;

        /** {@code success}, {@code failure}, {@code skipped}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
