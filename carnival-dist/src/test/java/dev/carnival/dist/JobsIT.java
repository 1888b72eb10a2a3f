package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.cli.control.StatusReport;
import dev.carnival.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled jobs, success exit codes, stop commands and the drain, through the real command (notify readiness: NotifyIT). */
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

    /** A service that writes got-term (then exits 0) when it gets SIGTERM. */
    private static final String TERM_WRITER = """
            [[service]]
            name = "web"
            command = "sh"
            args = ["-c", "trap 'touch got-term; exit 0' TERM; sleep 300 & wait"]
            """;

    @Test
    void theDrainFailsReadyzBeforeAnyServiceIsToldToStopAndASecondSigtermEndsIt() throws Exception {
        int port = Http.freePort();
        // Ten minutes: only the second SIGTERM can end this drain within the test's deadline.
        String toml = "[global]\ndrain-ms = 600000\nhttp-listen = \"127.0.0.1:" + port + "\"\n" + TERM_WRITER;
        Path gotTerm = dir.resolve("got-term");
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, toml)) {
            c.awaitLog("HTTP endpoint: http://127.0.0.1:" + port + "/");
            Await.until(() -> "/readyz 200: " + Http.get(port, "/readyz"), () -> Http.get(port, "/readyz").startsWith("200 "));
            c.signal("TERM");
            Await.until(() -> "/readyz 503 draining: " + Http.get(port, "/readyz"),
                    () -> Http.get(port, "/readyz").equals("503 supervisor draining\n"));
            c.awaitLog("Draining for 600000ms");
            assertTrue(Files.notExists(gotTerm), "the service got SIGTERM during the drain");
            assertTrue(Http.get(port, "/livez").startsWith("200 "), "live while draining");
            assertEquals("draining", Control.parse(Http.get(port, "/status").substring(4)).phase());

            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(Files.exists(gotTerm), "the service got its SIGTERM after the drain");
            assertTrue(c.stderr().contains("second signal SIGTERM: ending the drain, stopping services now"), c.stderr());
        }
    }

    @Test
    void aDrainEndsByItselfAndTheServiceStopsAfterIt() {
        String toml = "[global]\ndrain-ms = 1000\n" + TERM_WRITER;
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, toml)) {
            c.awaitLog("web[0] started");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(Files.exists(dir.resolve("got-term")));
            String log = c.stderr();
            assertTrue(log.indexOf("Draining for 1000ms") >= 0 && log.indexOf("Draining for 1000ms") < log.indexOf("web[0] exited"),
                    log);
        }
    }

    /** The job's replica 0 row of a status. */
    private static StatusReport.Row job(Control control) {
        return control.row("job");
    }

    /** A service "job" that runs {@code script} on {@code schedule}, with {@code more} keys. */
    private static String job(String script, String schedule, String more) {
        return """
                [[service]]
                name = "job"
                command = "sh"
                args = ["-c", "%s"]
                schedule = "%s"
                """.formatted(script, schedule) + more;
    }

    /** How many files in the test's directory have names that start with {@code prefix}. */
    private long files(String prefix) {
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each run leaves run.N (written, then renamed), so the test can count runs. */
    private static final String RECORD_RUN = "echo $$ > run.tmp.$$ && mv run.tmp.$$ run.$$";

    @Test
    void aJobFiresOnItsScheduleAndWaitsScheduledBetweenRuns() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(job(RECORD_RUN, "*/2 * * * * *", ""))) {
            assertEquals("scheduled", job(control).state(), "nothing runs before the first firing");
            Await.until(() -> "two runs; log:\n" + c.stderr(), () -> files("run.") >= 2);
            Await.until(() -> "two successes: " + job(control), () -> job(control).job().successes() >= 2);
            StatusReport.Row row = job(control);
            assertEquals("success", row.job().lastResult());
            OffsetDateTime next = OffsetDateTime.parse(row.job().nextRun());
            assertEquals(0, next.getSecond() % 2, row.job().nextRun());
            assertEquals(ZoneOffset.UTC, next.getOffset());
            assertTrue(c.isAlive(), "a job keeps Carnival running");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("job[0] job run succeeded; next run "), c.stderr());
        }
    }

    @Test
    void overlapSkipCountsTheFiringsWhileARunStillRuns() {
        Control control = new Control(dir);
        // Two runs at once would find the lock taken and fail.
        try (CarnivalProcess c = control.start(job("mkdir lock || exit 9; sleep 2.5; rmdir lock; " + RECORD_RUN,
                "* * * * * *", ""))) {
            Await.until(() -> "a success and a skip: " + job(control),
                    () -> job(control).job().successes() >= 1 && job(control).job().skipped() >= 1);
            assertEquals(0, job(control).job().failures(), c.stderr());
            assertTrue(c.stderr().contains("job[0] job firing skipped: its last run still runs"), c.stderr());
        }
    }

    @Test
    void overlapReplaceStopsTheRunningOneForTheNew() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(job("trap 'touch replaced.$$; exit 0' TERM; " + RECORD_RUN
                + "; sleep 30 & wait", "* * * * * *", "overlap = \"replace\"\n"))) {
            Await.until(() -> "a run replaced by the next; log:\n" + c.stderr(), () -> files("replaced.") >= 1 && files("run.") >= 2);
            assertEquals(0, job(control).job().skipped());
        }
    }

    /** YAML: a job far from its next firing runs at once on `carnival start`, and its metrics count it. */
    @Test
    void startRunsAJobNowAndTheMetricsCountIt() throws Exception {
        int port = Http.freePort();
        Control control = new Control(dir);
        Configs.write(dir, "c.yaml", """
                global:
                  http-listen: "127.0.0.1:%d"
                  control-socket: "%s"
                service:
                  - name: job
                    command: sh
                    args: ["-c", "%s"]
                    schedule: "@yearly"
                    schedule-timezone: Europe/Helsinki
                """.formatted(port, control.socket, RECORD_RUN));
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of(), "-c", "c.yaml")) {
            Await.until(() -> "status; log:\n" + c.stderr(), () -> Files.exists(control.socket));
            // The socket answers before the job's replica has been scheduled: wait for its first next run.
            Await.until(() -> "a next run; " + job(control), () -> job(control).job() != null && job(control).job().nextRun() != null);
            String next = job(control).job().nextRun();
            assertTrue(next.endsWith("-01-01T00:00:00+02:00"), next);
            try (CarnivalProcess start = control.client("start", "job")) {
                assertEquals(0, start.exitCode(), start.stderr());
            }
            Await.until(() -> "the run; " + job(control), () -> files("run.") == 1 && job(control).job().successes() == 1
                    && job(control).state().equals("scheduled"));
            assertEquals(next, job(control).job().nextRun(), "the schedule is unchanged");
            String metrics = Http.get(port, "/metrics");
            assertTrue(metrics.contains("carnival_job_runs_total{replica=\"0\",result=\"success\",service=\"job\"} 1.0"), metrics);
            assertTrue(metrics.contains("carnival_job_runs_total{replica=\"0\",result=\"skipped\",service=\"job\"} 0.0"), metrics);
            assertTrue(metrics.contains("carnival_job_next_run_timestamp_seconds{replica=\"0\",service=\"job\"} "
                    + (double) OffsetDateTime.parse(next).toEpochSecond()), metrics);
            assertTrue(metrics.contains("carnival_job_last_success_timestamp_seconds{replica=\"0\",service=\"job\"} "), metrics);
        }
    }

    @Test
    void successExitCodesStopOnFailureAndMakeACriticalServicesEndExit0() {
        String toml = """
                [[service]]
                name = "jvm"
                command = "sh"
                args = ["-c", "%s; exit 143"]
                restart = "on-failure"
                restart-delay-ms = 0
                success-exit-codes = [0, 143]
                critical = true
                """.formatted(RECORD_RUN);
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, toml)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(1, files("run."), "143 is a success: on-failure does not restart");
        }
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, toml.replace("success-exit-codes = [0, 143]\n", "restart-limit = 2\n"))) {
            assertEquals(143, c.exitCode(), c.stderr());
            assertEquals(3, files("run."), "without it, 143 is a failure: restarted up to the limit");
        }
    }

    @Test
    void aStopCommandStopsTheService() {
        String toml = """
                [[service]]
                name = "web"
                command = "sh"
                args = ["-c", "trap 'touch got-usr1; kill -KILL $!; exit 0' USR1; trap '' TERM; sleep 300 & wait"]
                stop-command = ["sh", "-c", "echo $CARNIVAL_SERVICE_NAME > stopper.tmp && mv stopper.tmp stopper; kill -USR1 $CARNIVAL_MAIN_PID"]
                stop-timeout-ms = 600000
                """;
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, toml)) {
            c.awaitLog("web[0] started");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(Files.exists(dir.resolve("got-usr1")), "the stop command's signal ended it");
            assertEquals("web", Configs.read(dir.resolve("stopper")).strip(), "with the service's environment");
            assertTrue(!c.stderr().contains("SIGKILL"), c.stderr());
        }
    }

    @Test
    void aFailingStopCommandIsLoggedAndSigkillFollowsAtTheTimeout() {
        String toml = """
                [[service]]
                name = "web"
                command = "sh"
                args = ["-c", "trap '' TERM; sleep 300 & wait"]
                stop-command = ["sh", "-c", "exit 3"]
                stop-timeout-ms = 300
                """;
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, toml)) {
            c.awaitLog("web[0] started");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("web[0]: stop command [sh, -c, exit 3] exited with code 3"), c.stderr());
            assertTrue(c.stderr().contains("SIGKILL"), c.stderr());
        }
    }

    @Test
    void overlapAllowRunsTheNextBesideTheOneStillRunning() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(job("touch live.$$; sleep 3; rm live.$$; " + RECORD_RUN,
                "* * * * * *", "overlap = \"allow\"\n"))) {
            Await.until(() -> "two runs at once; log:\n" + c.stderr(), () -> files("live.") >= 2);
            Await.until(() -> "two successes: " + job(control), () -> job(control).job().successes() >= 2);
            assertEquals(0, job(control).job().skipped());
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }
}
