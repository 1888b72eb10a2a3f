package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.UserText;
import dev.carnival.api.model.JobSpec;
import dev.carnival.api.model.SuccessExitCodes;
import dev.carnival.runtime.schedule.CronSchedule;
import dev.carnival.runtime.schedule.InvalidScheduleException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service's keys for scheduled jobs ({@code schedule}, {@code schedule-timezone},
 * {@code overlap}, {@code run-on-start}) and for how a run ends ({@code success-exit-codes},
 * {@code stop-command}). Each key's value is checked where it is written; what needs two keys
 * (a schedule's companions without it, {@code restart = "always"} with it) in {@link Draft#check}.
 */
final class JobKeys {
    private JobKeys() {}

    /** The schedule keys of one service, as bound so far. */
    static final class Draft {
        String schedule;
        ZoneId zone;
        JobSpec.Overlap overlap;
        Boolean runOnStart;

        /**
         * Reports what no single key can: companions without a schedule, a schedule with
         * {@code restart = "always"}. Drops what it reports, so the rest can still be bound.
         */
        void check(Map<String, Location> locations, int index, String label, String policy, Problems problems) {
            if (schedule == null) {
                if (locations.containsKey(SourceMap.service(index, "schedule"))) {
                    return; // written, but wrong: that is reported, and its companions wait for it
                }
                for (String key : List.of("schedule-timezone", "overlap", "run-on-start")) {
                    Location at = locations.get(SourceMap.service(index, key));
                    if (at != null) {
                        problems.add(new ConfigException(at, "'" + key + "' in " + label + " is for a scheduled job: it needs a 'schedule'"));
                    }
                }
                return;
            }
            if (policy.equals("always")) {
                problems.add(new ConfigException(locations.get(SourceMap.service(index, "restart")),
                        "restart = \"always\" in " + label + " cannot be used with a 'schedule' (a job's run ends; use \"on-failure\" or \"no\")"));
                schedule = null;
            }
        }

        /** The job, or null for a service. */
        JobSpec spec() {
            return schedule == null ? null : new JobSpec(schedule, zone == null ? JobSpec.UTC : zone,
                    overlap == null ? JobSpec.Overlap.SKIP : overlap, runOnStart != null && runOnStart);
        }
    }

    /** {@code schedule}: a cron expression that parses and runs at least once. */
    static ValueParser<String> schedule() {
        ValueParser<String> text = Parsers.nonEmpty();
        return (n, s) -> {
            String expression = text.parse(n, s).strip();
            try {
                return CronSchedule.parse(expression, JobSpec.UTC).expression();
            } catch (InvalidScheduleException e) {
                throw new ConfigException(n.location(), s.subject() + ": " + e.getMessage());
            }
        };
    }

    /** {@code schedule-timezone}: a zone id such as {@code Europe/Helsinki} or {@code UTC}. */
    static ValueParser<ZoneId> zone() {
        ValueParser<String> text = Parsers.nonEmpty();
        return (n, s) -> {
            String id = text.parse(n, s).strip();
            try {
                return ZoneId.of(id);
            } catch (DateTimeException e) {
                throw new ConfigException(n.location(), s.subject()
                        + " must be a time zone such as \"Europe/Helsinki\" or \"UTC\", got " + UserText.quote(id));
            }
        };
    }

    /** {@code overlap}: skip, allow or replace. */
    static ValueParser<JobSpec.Overlap> overlap() {
        ValueParser<String> text = Parsers.text();
        return (n, s) -> {
            String id = text.parse(n, s).strip();
            return JobSpec.Overlap.of(id).orElseThrow(() -> new ConfigException(n.location(),
                    s.subject() + " must be \"skip\", \"allow\" or \"replace\", got " + UserText.quote(id)));
        };
    }

    /** {@code success-exit-codes}: an array of exit codes 0 to 255, at least one, none twice. */
    static ValueParser<SuccessExitCodes> successExitCodes() {
        ValueParser<Integer> count = Parsers.count();
        return (n, s) -> {
            if (!(n instanceof ConfigNode.Array array)) {
                throw s.typeError(n, "an array of exit codes, such as [0, 143]");
            }
            if (array.items().isEmpty()) {
                throw new ConfigException(n.location(), s.subject() + " must list at least one exit code, such as [0, 143]");
            }
            Set<Integer> codes = new LinkedHashSet<>();
            for (ConfigNode item : array.items()) {
                int code = count.parse(item, s);
                if (code > 255) {
                    throw new ConfigException(item.location(), s.subject() + ": an exit code is 0 to 255, got " + code);
                }
                if (!codes.add(code)) {
                    throw new ConfigException(item.location(), s.subject() + " lists " + code + " twice");
                }
            }
            return new SuccessExitCodes(codes);
        };
    }
}
