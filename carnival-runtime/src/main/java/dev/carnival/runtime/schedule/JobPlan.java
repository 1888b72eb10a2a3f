package dev.carnival.runtime.schedule;

import dev.carnival.api.model.JobSpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/** How {@code carnival check} and status show a job's schedule and its next runs. */
public final class JobPlan {
    private JobPlan() {}

    /** An instant as RFC 3339 in {@code job}'s zone, to the second: {@code 2026-03-29T04:00:00+03:00}. */
    public static String rfc3339(Instant at, JobSpec job) {
        return OffsetDateTime.ofInstant(at, job.zone()).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /**
     * Two lines for {@code carnival check}: the job's settings, then its next {@code count} runs
     * after {@code now} in its zone.
     */
    public static String describe(JobSpec job, Instant now, int count) {
        CronSchedule schedule = CronSchedule.parse(job);
        List<Instant> next = schedule.next(now, count);
        return "  job: schedule='" + schedule.expression() + "' schedule-timezone=" + job.zone()
                + " overlap=" + job.overlap().id() + " run-on-start=" + job.runOnStart() + "\n"
                + "  next runs: " + next.stream().map(i -> rfc3339(i, job)).collect(Collectors.joining(", ")) + "\n";
    }
}
