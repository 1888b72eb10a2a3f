package dev.carnival.runtime.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.carnival.api.model.JobSpec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A job's schedule: a cron expression read in a time zone, stepping from one run to the next.
 *
 * <p>cron-utils parses the expression and finds the next matching wall-clock time; it is asked in
 * UTC, where every wall-clock time exists once, and this class alone maps wall-clock times to
 * instants in the job's zone, because cron-utils' own zone handling skips a whole day when a
 * daily time falls into a spring-forward gap and runs twice in a fall-back hour. The rules:
 * <ul>
 *   <li>A wall-clock time the zone skips (spring forward) runs at the end of the gap, the first
 *       instant after it: a job at 03:30 runs at 04:00 new time that day, and every run due in
 *       the skipped hour happens there once.</li>
 *   <li>A wall-clock time the zone repeats (fall back) runs once, in its first pass (the earlier
 *       offset); the second pass of the repeated hour runs nothing, so a job every 20 minutes
 *       pauses for that hour.</li>
 * </ul>
 * So each wall-clock time runs at most once, and no day loses a run.
 *
 * <p>Expressions: five fields (minute hour day-of-month month day-of-week) with ranges, lists,
 * steps and names, as Vixie cron reads them (a restricted day-of-month and day-of-week match
 * either); six fields put seconds first; or {@code @yearly} ({@code @annually}),
 * {@code @monthly}, {@code @weekly}, {@code @daily} ({@code @midnight}), {@code @hourly}.
 */
public final class CronSchedule {
    private static final CronParser FIVE = new CronParser(fields(CronDefinitionBuilder.defineCron(), false));
    private static final CronParser SIX = new CronParser(fields(CronDefinitionBuilder.defineCron(), true));
    private static final Set<String> NICKNAMES =
            Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
    /** Bounds the steps through the second pass of a repeated hour (one per skipped second at most). */
    private static final int MAX_STEPS = 10_000;

    private final String expression;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final ExecutionTime times;

    private CronSchedule(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.rules = zone.getRules();
        this.times = ExecutionTime.forCron(cron);
    }

    /**
     * The schedule of {@code job}, which a config's binder has checked (a job built in code that
     * was not is an IllegalArgumentException).
     */
    public static CronSchedule parse(JobSpec job) {
        try {
            return parse(job.schedule(), job.zone());
        } catch (InvalidScheduleException e) {
            throw new IllegalArgumentException("service schedule: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code expression} in {@code zone}.
     *
     * @throws InvalidScheduleException with a one-line reason when it is not a schedule, or one
     *                                  that never runs
     */
    public static CronSchedule parse(String expression, ZoneId zone) throws InvalidScheduleException {
        String text = expression.strip();
        CronParser parser;
        if (text.startsWith("@")) {
            if (!NICKNAMES.contains(text.toLowerCase(Locale.ROOT))) {
                throw new InvalidScheduleException("unknown schedule '" + text + "' (known: @yearly, @annually, "
                        + "@monthly, @weekly, @daily, @midnight, @hourly"
                        + (text.equalsIgnoreCase("@reboot") ? "; for a run at start, use run-on-start = true" : "") + ")");
            }
            text = text.toLowerCase(Locale.ROOT);
            parser = FIVE;
        } else {
            int fields = text.isEmpty() ? 0 : text.split("\\s+").length;
            if (fields != 5 && fields != 6) {
                throw new InvalidScheduleException("a schedule has five fields (minute hour day-of-month month "
                        + "day-of-week), or six with seconds first; '" + text + "' has " + fields);
            }
            parser = fields == 5 ? FIVE : SIX;
        }
        Cron cron;
        try {
            cron = parser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("not a schedule: '" + text + "': " + reason(e));
        }
        CronSchedule schedule = new CronSchedule(text, zone, cron);
        // Such as "0 0 30 2 *": cron-utils finds no match within its search bound.
        if (schedule.nextAfter(Instant.now()).isEmpty()) {
            throw new InvalidScheduleException("schedule '" + text + "' never runs");
        }
        return schedule;
    }

    /** The expression as written (trimmed; a nickname in lower case). */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first run strictly after {@code after}; empty if there is none. */
    public Optional<Instant> nextAfter(Instant after) {
        LocalDateTime cursor = LocalDateTime.ofInstant(after, zone);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<LocalDateTime> local = nextLocal(cursor);
            if (local.isEmpty()) {
                return Optional.empty();
            }
            LocalDateTime wall = local.get();
            Instant at = instant(wall);
            if (at.isAfter(after)) {
                return Optional.of(at);
            }
            cursor = wall; // in the second pass of a repeated hour: its times ran in the first
        }
        return Optional.empty();
    }

    /** The next {@code count} runs after {@code after}, fewer if the schedule ends. */
    public List<Instant> next(Instant after, int count) {
        List<Instant> runs = new ArrayList<>(count);
        Instant t = after;
        while (runs.size() < count) {
            Optional<Instant> n = nextAfter(t);
            if (n.isEmpty()) {
                break;
            }
            t = n.get();
            runs.add(t);
        }
        return runs;
    }

    /** The next wall-clock time that matches, strictly after {@code cursor}, asked in UTC (no gaps, no repeats). */
    private Optional<LocalDateTime> nextLocal(LocalDateTime cursor) {
        // Whole seconds in: cron-utils carries a fraction of a second through to its answer.
        return times.nextExecution(cursor.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC))
                .map(ZonedDateTime::toLocalDateTime);
    }

    /** Where {@code wall} happens in the zone: see the class comment for gaps and repeats. */
    private Instant instant(LocalDateTime wall) {
        List<ZoneOffset> offsets = rules.getValidOffsets(wall);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(wall);
            return gap.getInstant();
        }
        // One offset, or a repeated time: the offset before the transition is the earlier instant.
        ZoneOffsetTransition overlap = offsets.size() > 1 ? rules.getTransition(wall) : null;
        return wall.toInstant(overlap != null ? overlap.getOffsetBefore() : offsets.getFirst());
    }

    private static String reason(IllegalArgumentException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replace("Failed to parse cron expression. ", "").strip();
    }

    /** Vixie cron's fields (cron-utils' UNIX definition), with nicknames or with seconds first. */
    private static CronDefinition fields(CronDefinitionBuilder b, boolean seconds) {
        if (seconds) {
            b.withSeconds().withStrictRange().and();
        }
        b.withMinutes().withStrictRange().and()
                .withHours().withStrictRange().and()
                .withDayOfMonth().withStrictRange().and()
                .withMonth().withStrictRange().and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and();
        if (!seconds) {
            b.withSupportedNicknameYearly().withSupportedNicknameAnnually().withSupportedNicknameMonthly()
                    .withSupportedNicknameWeekly().withSupportedNicknameDaily().withSupportedNicknameMidnight()
                    .withSupportedNicknameHourly();
        }
        return b.instance();
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
