package dev.carnival.runtime.supervise;

import dev.carnival.api.model.JobSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.schedule.CronSchedule;
import dev.carnival.runtime.schedule.JobClock;
import dev.carnival.runtime.schedule.JobRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The scheduled jobs' clocks, one per service: each firing goes to the replicas the service has
 * at that moment, so replicas a reload or a scale adds are fired too. A reload that changes a
 * job's schedule replaces its clock; one that removes the job stops it.
 */
final class Jobs {
    private final DelayScheduler delays;
    private final Clock clock;
    /** Each job's spec and clock, by service name. Guarded by this. */
    private final Map<String, Entry> clocks = new HashMap<>();
    private volatile Supplier<List<Replica>> members = List::of;

    private record Entry(JobSpec spec, JobClock clock) {}

    Jobs(DelayScheduler delays, Clock clock) {
        this.delays = delays;
        this.clock = clock;
    }

    /** Where firings find the replicas: the supervisor's list as it is at each firing. */
    void attach(Supplier<List<Replica>> members) {
        this.members = members;
    }

    /** What a new replica of {@code service} has as a job, or null when it is none; its clock starts when it begins. */
    synchronized ReplicaJob replicaJob(ServiceConfig service) {
        return service.job().map(spec -> new ReplicaJob(spec, entry(service.name(), spec).clock(), new JobRecord()))
                .orElse(null);
    }

    /**
     * A reload's {@code service}, whose replicas {@code running} keep their processes: with a
     * schedule other than its clock's, the clock is replaced and each replica keeps its record of
     * runs under the new one. A service that stays a job or stays none (the plan restarts a service
     * that becomes one or stops being one).
     */
    void update(ServiceConfig service, List<Replica> running) {
        JobSpec spec = service.job().orElse(null);
        JobClock replaced;
        synchronized (this) {
            Entry now = clocks.get(service.name());
            if (spec == null || (now != null && now.spec().equals(spec))) {
                return;
            }
            if (now != null) {
                now.clock().close();
                clocks.remove(service.name());
            }
            replaced = entry(service.name(), spec).clock();
        }
        for (Replica r : running) {
            ReplicaJob was = r.job();
            r.job(new ReplicaJob(spec, replaced, was == null ? new JobRecord() : was.record()));
        }
        replaced.start(); // its replicas have begun: none will start it
    }

    /** {@code service} has no replica left (removed, or about to be made again): its clock stops. */
    synchronized void remove(String service) {
        Entry e = clocks.remove(service);
        if (e != null) {
            e.clock().close();
        }
    }

    private Entry entry(String service, JobSpec spec) {
        return clocks.computeIfAbsent(service, name -> new Entry(spec, new JobClock(CronSchedule.parse(spec),
                (delay, task) -> {
                    DelayScheduler.Cancellable t = delays.schedule(delay, task);
                    return t::cancel;
                }, clock, due -> fire(name, due))));
    }

    private void fire(String service, Instant due) {
        for (Replica r : members.get()) {
            if (r.id().service().equals(service)) {
                r.post(new Message.Fire(due));
            }
        }
    }
}
