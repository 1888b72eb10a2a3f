package dev.carnival.api.model;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A service run as a scheduled job ({@code schedule} and the keys beside it): each firing runs
 * its replicas once; between runs it waits in state {@code scheduled}.
 *
 * @param schedule   the cron expression as written: five fields (minute hour day-of-month month
 *                   day-of-week), six with seconds first, or {@code @hourly}, {@code @daily},
 *                   {@code @weekly}, {@code @monthly}, {@code @yearly}
 * @param zone       {@code schedule-timezone}: the zone the fields are read in (default UTC)
 * @param overlap    {@code overlap}: what a firing does while the last run still runs
 * @param runOnStart {@code run-on-start}: also run once when Carnival starts
 */
public record JobSpec(String schedule, ZoneId zone, Overlap overlap, boolean runOnStart) {
    /** The default zone. */
    public static final ZoneId UTC = ZoneOffset.UTC;

    /** Rejects a blank schedule. */
    public JobSpec {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(overlap, "overlap");
        if (schedule.isBlank()) {
            throw new IllegalArgumentException("schedule must not be blank");
        }
    }

    /** A job on {@code schedule} in UTC that skips overlapping firings and does not run on start. */
    public static JobSpec of(String schedule) {
        return new JobSpec(schedule, UTC, Overlap.SKIP, false);
    }

    /** What a firing does while the job's last run still runs. */
    public enum Overlap {
        /** The firing is skipped (and counted as skipped). The default. */
        SKIP,
        /** Another run starts beside the one still running. */
        ALLOW,
        /** The running one is stopped as for {@code carnival stop}, then a new run starts. */
        REPLACE;

        /** The name used in configs: {@code skip}, {@code allow}, {@code replace}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The overlap named {@code id}, if there is one. */
        public static Optional<Overlap> of(String id) {
            for (Overlap o : values()) {
                if (o.id().equals(id)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }
}
