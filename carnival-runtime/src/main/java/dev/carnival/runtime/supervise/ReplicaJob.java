package dev.carnival.runtime.supervise;

import dev.carnival.api.model.JobStatus;
import dev.carnival.api.model.JobSpec;
import dev.carnival.runtime.schedule.JobClock;
import dev.carnival.runtime.schedule.JobRecord;

/**
 * What a replica of a scheduled job has beside its state: the job, its service's clock (one per
 * service, started with the replicas) and its own record of runs.
 */
record ReplicaJob(JobSpec spec, JobClock clock, JobRecord record) {

    JobStatus status() {
        return record.status(spec.zone(), clock.next());
    }
}
