package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled jobs, success exit codes, stop commands, the drain and notify readiness, through the real command. */
class JobsIT {
    @TempDir
    Path dir;

    /** The binder parses each schedule with cron-utils: this is also the check that it loads in the image. */
    @Test
    void checkReportsEveryBadNewKeyWithItsLocation() {
        String toml = """
                [global]
                drain-ms = "soon"
                [[service]]
                name = "a"
                command = "true"
                schedule = "61 * * * *"
                schedule-timezone = "Mars/Olympus"
                overlap = "queue"
                success-exit-codes = [0, 256]
                stop-command = []
                [service.readiness]
                notify = "yes"
                [[service]]
                name = "b"
                command = "true"
                schedule = "@daily"
                restart = "always"
                """;
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, toml, "check")) {
            assertEquals(2, c.exitCode(), c.stderr());
            List<String> lines = c.stderr().lines().toList();
            assertEquals(List.of(
                    "carnival: c.toml:2:1: 'drain-ms' in [global] must be a number of milliseconds >= 0, got 'soon'",
                    "carnival: c.toml:6:1: 'schedule' in [[service]] 'a': not a schedule: '61 * * * *': Value 61 not in range [0, 59]",
                    "carnival: c.toml:7:1: 'schedule-timezone' in [[service]] 'a' must be a time zone such as \"Europe/Helsinki\" or \"UTC\", got 'Mars/Olympus'",
                    "carnival: c.toml:8:1: 'overlap' in [[service]] 'a' must be \"skip\", \"allow\" or \"replace\", got 'queue'",
                    "carnival: c.toml:9:26: 'success-exit-codes' in [[service]] 'a': an exit code is 0 to 255, got 256",
                    "carnival: c.toml:10:1: 'stop-command' in [[service]] 'a' must name a command: [\"command\", \"arg\"...]",
                    "carnival: c.toml:12:1: 'notify' in [service.readiness] of [[service]] 'a' must be true or false, got 'yes'",
                    "carnival: c.toml:17:1: restart = \"always\" in [[service]] 'b' cannot be used with a 'schedule' (a job's run ends; use \"on-failure\" or \"no\")"),
                    lines.stream().filter(l -> l.startsWith("carnival: c.toml:")).toList(), c.stderr());
            c.assertNoStackTrace();
        }
    }

    @Test
    void checkAcceptsEveryNewKeyInYaml() {
        Configs.write(dir, "c.yaml", """
                global:
                  drain-ms: 2000
                service:
                  - name: job
                    command: "true"
                    schedule: "*/5 * * * *"
                    schedule-timezone: Europe/Helsinki
                    overlap: replace
                    run-on-start: true
                    restart: on-failure
                    success-exit-codes: [0, 143]
                  - name: web
                    command: sleep
                    args: ["60"]
                    stop-command: ["kill", "-TERM", "$CARNIVAL_MAIN_PID"]
                    readiness:
                      notify: true
                """);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "check", "-c", "c.yaml")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stdout().contains("ok: 0 init command(s), 2 service(s)"), c.stdout());
            c.assertNoStackTrace();
        }
    }

    /** The DST case through the real command: the job's next runs across both changes of Europe/Helsinki in 2026. */
    @Test
    void checkShowsEachJobsNextThreeRunsAcrossDaylightSavingChanges() {
        String toml = """
                [[service]]
                name = "nightly"
                command = "true"
                schedule = "30 3 * * *"
                schedule-timezone = "Europe/Helsinki"
                """;
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, toml, "check", "--from", "2026-03-28T00:00:00Z")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stdout().contains("  job: schedule='30 3 * * *' schedule-timezone=Europe/Helsinki overlap=skip run-on-start=false\n"
                    + "  next runs: 2026-03-28T03:30:00+02:00, 2026-03-29T04:00:00+03:00, 2026-03-30T03:30:00+03:00\n"), c.stdout());
        }
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, toml, "check", "--from", "2026-10-24T00:00:00Z")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stdout().contains(
                    "  next runs: 2026-10-24T03:30:00+03:00, 2026-10-25T03:30:00+03:00, 2026-10-26T03:30:00+02:00\n"), c.stdout());
        }
    }
}
