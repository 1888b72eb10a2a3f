package dev.carnival.cli.control;

import dev.carnival.api.model.JobStatus;
import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@code carnival status} shows, {@code --json} prints and {@code /status} serves: one model,
 * made from a {@link SupervisorStatus} in the supervisor and read back from JSON in the client, so
 * the table, the JSON and the HTTP answer cannot disagree.
 *
 * @param phase the supervisor's {@link SupervisorStatus.Phase#id()}
 */
public record StatusReport(String phase, List<Row> replicas, long generation) {
    public StatusReport {
        Objects.requireNonNull(phase, "phase");
        replicas = List.copyOf(replicas);
    }

    /** A report of the first config generation. */
    public StatusReport(String phase, List<Row> replicas) {
        this(phase, replicas, 1);
    }

    /**
     * One replica.
     *
     * @param state     a {@link ReplicaState#id()}
     * @param lastExit  how its latest process ended, if one has
     * @param shouldRun {@link ReplicaStatus#shouldBeRunning()}
     * @param job       a scheduled job's next run, last result and counts; null for a service
     * @param notifyStatus the last {@code STATUS=} of its sd_notify messages, or null
     * @param resources its latest resource sample while it runs; null when none
     */
    public record Row(String service, int replica, String state, OptionalLong pid, boolean ready, int restarts,
                      OptionalLong uptimeMs, LastExit lastExit, boolean shouldRun, long probeFailures, Job job,
                      String notifyStatus, Resources resources, long memoryRestarts) {
        public Row {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(uptimeMs, "uptimeMs");
        }

        /** A row of a service that is no job and sends no notify status. */
        public Row(String service, int replica, String state, OptionalLong pid, boolean ready, int restarts,
                   OptionalLong uptimeMs, LastExit lastExit, boolean shouldRun, long probeFailures) {
            this(service, replica, state, pid, ready, restarts, uptimeMs, lastExit, shouldRun, probeFailures, null, null,
                    null, 0);
        }

        /** It ought to run and does not, or runs and is not ready: what makes {@code status} exit 3 and {@code /readyz} 503. */
        public boolean unhealthy() {
            return shouldRun && !(state.equals(ReplicaState.RUNNING.id()) && ready);
        }

        /** {@code web[0]}, as log lines name a replica. */
        public String label() {
            return service + "[" + replica + "]";
        }
    }

    /**
     * A job's replica: times as RFC 3339 in the job's zone, each null when there is none.
     *
     * @param lastResult {@code success}, {@code failure} or {@code skipped}
     */
    public record Job(String nextRun, String lastResult, String lastSuccess, long successes, long failures,
                      long skipped) {
        static Job of(JobStatus j) {
            return new Job(j.nextRun().map(i -> rfc3339(i, j.zone())).orElse(null),
                    j.lastResult().map(JobStatus.Result::id).orElse(null),
                    j.lastSuccess().map(i -> rfc3339(i, j.zone())).orElse(null), j.successes(), j.failures(), j.skipped());
        }

        private static String rfc3339(java.time.Instant at, java.time.ZoneId zone) {
            return java.time.OffsetDateTime.ofInstant(at, zone).withNano(0)
                    .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }

        /** Seconds since the epoch of an RFC 3339 time this record holds, for the metrics. */
        public static double epochSeconds(String rfc3339) {
            return java.time.OffsetDateTime.parse(rfc3339).toEpochSecond();
        }
    }

    /** A resource sample: percent of one core over the last period, CPU seconds, resident bytes of the group. */
    public record Resources(double cpuPercent, double cpuSeconds, long memoryBytes) {}

    /** How a process ended: {@code code} or {@code signal} (a name such as {@code SIGKILL}); null when none has. */
    public record LastExit(OptionalInt code, String signal) {
        static LastExit of(ExitStatus status) {
            return switch (status) {
                case ExitStatus.Exited e -> new LastExit(OptionalInt.of(e.code()), null);
                case ExitStatus.Killed k -> new LastExit(OptionalInt.empty(), Signal.describe(k.signal()));
            };
        }

        /** {@code code 3} or {@code SIGKILL}. */
        public String describe() {
            return code.isPresent() ? "code " + code.getAsInt() : signal;
        }

        /** The shell convention, as the metrics report it: the code, or 128 + the signal's number when known. */
        public OptionalInt asExitCode() {
            if (code.isPresent()) {
                return code;
            }
            try {
                return OptionalInt.of(128 + Signal.parse(signal).number());
            } catch (IllegalArgumentException e) {
                return OptionalInt.empty();
            }
        }
    }

    public static StatusReport of(SupervisorStatus status) {
        return new StatusReport(status.phase().id(), status.replicas().stream().map(StatusReport::row).toList(),
                status.generation());
    }

    private static Row row(ReplicaStatus r) {
        return new Row(r.replica().service(), r.replica().index(), r.state().id(), r.pid(), r.ready(),
                r.restartCount(),
                r.uptime().map(d -> OptionalLong.of(d.toMillis())).orElse(OptionalLong.empty()),
                r.lastExit().map(LastExit::of).orElse(null), r.shouldBeRunning(), r.probeFailures(),
                r.job().map(Job::of).orElse(null), r.notifyStatus().orElse(null),
                r.resources().map(u -> new Resources(u.cpuPercent(), u.cpuSeconds(), u.memoryBytes())).orElse(null),
                r.memoryRestarts());
    }

    /** Only the replicas named by {@code targets} (a service, or {@code NAME/INDEX}); all when empty. */
    public StatusReport only(List<Target> targets) {
        if (targets.isEmpty()) {
            return this;
        }
        return new StatusReport(phase, replicas.stream()
                .filter(r -> targets.stream().anyMatch(t -> t.matches(r.service(), r.replica()))).toList(), generation);
    }

    /** The replicas that are not as they ought to be. */
    public List<Row> unhealthy() {
        return replicas.stream().filter(Row::unhealthy).toList();
    }
}
