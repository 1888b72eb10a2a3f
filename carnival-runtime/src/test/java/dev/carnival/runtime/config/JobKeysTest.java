package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.JobSpec;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.SuccessExitCodes;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The keys of scheduled jobs, success exit codes, stop commands, drain-ms and notify readiness. */
class JobKeysTest {
    private static final TomlBinding TOML = new TomlBinding("j.toml", Map.of("ZONE", "Europe/Helsinki"));
    private static final String J = "[[service]]\nname = \"j\"\ncommand = \"true\"\n";

    private static CarnivalConfig bind(String toml) throws ConfigException {
        return TOML.bind(toml);
    }

    private static ServiceConfig service(String body) throws ConfigException {
        return bind(J + body).services().getFirst();
    }

    /** Binding a service with {@code body} (from line 4) fails at {@code line:column} with exactly {@code problem}. */
    private static void fails(String body, int line, int column, String problem) {
        TOML.fails(J + body, line, column, problem);
    }

    @Test
    void aServiceIsNoJobByDefault() throws Exception {
        ServiceConfig s = service("");
        assertEquals(Optional.empty(), s.job());
        assertEquals(SuccessExitCodes.DEFAULT, s.successExitCodes());
        assertEquals(List.of(), s.stopCommand());
        assertEquals(Duration.ZERO, bind("").global().drain());
    }

    @Test
    void scheduleWithItsDefaults() throws Exception {
        assertEquals(Optional.of(new JobSpec("*/5 * * * *", ZoneId.of("UTC").normalized(), JobSpec.Overlap.SKIP, false)),
                service("schedule = \" */5 * * * * \"\n").job());
    }

    @Test
    void everyScheduleKeyInBothSpellings() throws Exception {
        ServiceConfig s = service("""
                schedule = "@daily"
                schedule_timezone = "${ZONE}"
                overlap = "replace"
                run-on-start = "true"
                restart = "on-failure"
                """);
        assertEquals(Optional.of(new JobSpec("@daily", ZoneId.of("Europe/Helsinki"), JobSpec.Overlap.REPLACE, true)), s.job());
    }

    @Test
    void successExitCodesAndStopCommand() throws Exception {
        ServiceConfig s = service("success-exit-codes = [0, \"143\"]\nstop-command = [\"nginx\", \"-s\", \"quit\"]\n");
        assertEquals(SuccessExitCodes.of(0, 143), s.successExitCodes());
        assertEquals(List.of("nginx", "-s", "quit"), s.stopCommand());
    }

    @Test
    void drainMs() throws Exception {
        assertEquals(Duration.ofMillis(5000), bind("[global]\ndrain-ms = 5000\n").global().drain());
    }

    @Test
    void notifyReadiness() throws Exception {
        assertEquals(Optional.of(ProbeSpec.notifyReadiness()), service("[service.readiness]\nnotify = true\n").readiness());
    }

    @Test
    void badValuesAreNamedWhereTheyAreWritten() {
        fails("schedule = \"61 * * * *\"\n", 4, 1,
                "'schedule' in [[service]] 'j': not a schedule: '61 * * * *': Value 61 not in range [0, 59]");
        fails("schedule = \"* * *\"\n", 4, 1, "'schedule' in [[service]] 'j': a schedule has five fields (minute hour "
                + "day-of-month month day-of-week), or six with seconds first; '* * *' has 3");
        fails("schedule = \"0 0 30 2 *\"\n", 4, 1, "'schedule' in [[service]] 'j': schedule '0 0 30 2 *' never runs");
        fails("schedule = \"@daily\"\nschedule-timezone = \"Mars/Olympus\"\n", 5, 1,
                "'schedule-timezone' in [[service]] 'j' must be a time zone such as \"Europe/Helsinki\" or \"UTC\", got 'Mars/Olympus'");
        fails("schedule = \"@daily\"\noverlap = \"queue\"\n", 5, 1,
                "'overlap' in [[service]] 'j' must be \"skip\", \"allow\" or \"replace\", got 'queue'");
        fails("schedule = \"@daily\"\nrun-on-start = 1\n", 5, 1, "'run-on-start' in [[service]] 'j' must be true or false, got an integer");
        fails("success-exit-codes = []\n", 4, 1, "'success-exit-codes' in [[service]] 'j' must list at least one exit code, such as [0, 143]");
        fails("success-exit-codes = [0, 256]\n", 4, 26, "'success-exit-codes' in [[service]] 'j': an exit code is 0 to 255, got 256");
        fails("success-exit-codes = [0, 0]\n", 4, 26, "'success-exit-codes' in [[service]] 'j' lists 0 twice");
        fails("success-exit-codes = 0\n", 4, 1, "'success-exit-codes' in [[service]] 'j' must be an array of exit codes, such as [0, 143], got an integer");
        fails("stop-command = []\n", 4, 1, "'stop-command' in [[service]] 'j' must name a command: [\"command\", \"arg\"...]");
        fails("stop-command = \"nginx -s quit\"\n", 4, 1, "'stop-command' in [[service]] 'j' must be an array of strings, got a string");
    }

    @Test
    void companionsNeedASchedule() {
        fails("overlap = \"allow\"\n", 4, 1, "'overlap' in [[service]] 'j' is for a scheduled job: it needs a 'schedule'");
        fails("run-on-start = true\n", 4, 1, "'run-on-start' in [[service]] 'j' is for a scheduled job: it needs a 'schedule'");
        fails("schedule-timezone = \"UTC\"\n", 4, 1,
                "'schedule-timezone' in [[service]] 'j' is for a scheduled job: it needs a 'schedule'");
    }

    @Test
    void aJobCannotRestartAlways() {
        fails("schedule = \"@hourly\"\nrestart = \"always\"\n", 5, 1,
                "restart = \"always\" in [[service]] 'j' cannot be used with a 'schedule' (a job's run ends; use \"on-failure\" or \"no\")");
    }

    @Test
    void notifyStandsAlone() {
        fails("[service.readiness]\nnotify = true\nperiod-ms = 100\n", 6, 1,
                "'period-ms' in [service.readiness] of [[service]] 'j' cannot be used with notify = true (readiness comes from READY=1, not from a probe)");
        fails("[service.readiness]\nnotify = true\nexec = [\"true\"]\n", 6, 1,
                "'exec' in [service.readiness] of [[service]] 'j' cannot be used with notify = true (readiness comes from READY=1, not from a probe)");
        fails("[service.liveness]\nnotify = true\n", 5, 1, "'notify' in [service.liveness] of [[service]] 'j' is for [service.readiness] only");
        fails("[service.readiness]\nnotify = \"yes\"\n", 5, 1, "'notify' in [service.readiness] of [[service]] 'j' must be true or false, got 'yes'");
        fails("[service.readiness]\nnotify = false\n", 4, 1, "[service.readiness] of [[service]] 'j' needs one of exec, http, tcp, probe, log-line (or notify = true)");
    }

    @Test
    void drainMsMustBeMillis() {
        TOML.fails("[global]\ndrain-ms = -1\n", 2, 1, "'drain-ms' in [global] must be a number of milliseconds >= 0, got -1");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = TOML.fails("""
                [global]
                drain-ms = "soon"
                [[service]]
                name = "a"
                command = "true"
                schedule = "nope"
                overlap = "queue"
                success-exit-codes = [300]
                stop-command = []
                """, 2, 1, "'drain-ms' in [global] must be a number of milliseconds >= 0, got 'soon'");
        assertEquals(5, 1 + e.getSuppressed().length, () -> e.getMessage() + " + " + List.of(e.getSuppressed()));
    }
}
