package dev.carnival.runtime.schedule;

import dev.carnival.api.model.JobStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** What one replica of a job has been through: written from its mailbox, read by any status request. */
public final class JobRecord {
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile JobStatus.Result last;
    private volatile Instant lastSuccess;

    /** A run ended at {@code at}: with success (one of the service's success exit codes) or not. */
    public void ran(boolean success, Instant at) {
        if (success) {
            successes.incrementAndGet();
            lastSuccess = at;
            last = JobStatus.Result.SUCCESS;
        } else {
            failures.incrementAndGet();
            last = JobStatus.Result.FAILURE;
        }
    }

    /** A firing found the last run still running and was skipped. */
    public void skipped() {
        skipped.incrementAndGet();
        last = JobStatus.Result.SKIPPED;
    }

    /** Its status, with the job's zone and next run. */
    public JobStatus status(ZoneId zone, Optional<Instant> next) {
        return new JobStatus(zone, next, Optional.ofNullable(last), Optional.ofNullable(lastSuccess), successes.get(),
                failures.get(), skipped.get());
    }
}
