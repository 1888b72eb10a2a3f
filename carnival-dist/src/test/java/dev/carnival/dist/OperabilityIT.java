package dev.carnival.dist;

import static dev.carnival.dist.CarnivalProcess.startConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** carnival check, exit codes of critical services, forwarded signals, the double-signal fast path. */
@Tag(ImageHarness.JDK_FALLBACK)
class OperabilityIT {
    @TempDir
    Path dir;

    @Test
    void checkPrintsThePlanWithEffectiveValuesAndStartsNothing() {
        try (CarnivalProcess c = startConfig(dir, """
                [[init]]
                command = "touch"
                args = ["init-ran"]
                [[service]]
                name = "web"
                command = "sh"
                args = ["-c", "touch service-ran"]
                replicas = "${CARNIVAL_TEST_UNSET:-3}"
                restart = "on-failure"
                restart_limit = 4
                """, "check")) {
            assertEquals(0, c.exitCode(), c.stderr());
            String plan = c.stdout();
            assertTrue(plan.contains("init 1: touch init-ran"), plan);
            assertTrue(plan.contains("service web: sh -c 'touch service-ran'"), plan);
            assertTrue(plan.contains("replicas=3 restart=on-failure (module carnival.restart.policies) restart-delay-ms=1000"
                    + " restart-limit=4 stop-signal=SIGTERM stop-timeout-ms=10000 critical=false"), plan);
            assertTrue(plan.contains("ok: 1 init command(s), 1 service(s), 3 replica(s)"), plan);
            assertFalse(Files.exists(dir.resolve("init-ran")));
            assertFalse(Files.exists(dir.resolve("service-ran")));
        }
    }

    @Test
    void checkReportsEveryProblemNotOnlyTheFirst() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "a"
                command = "true"
                replicas = -1
                [[service]]
                name = "b"
                command = "true"
                restart-delay-ms = "later"
                colour = "blue"
                """, "check")) {
            assertEquals(2, c.exitCode());
            List<String> lines = c.stderr().lines().toList();
            assertEquals(List.of(
                    "carnival: c.toml:4:1: 'replicas' in [[service]] 'a' must be a whole number >= 0, got -1",
                    "carnival: c.toml:8:1: 'restart-delay-ms' in [[service]] 'b' must be a number of milliseconds >= 0, got 'later'",
                    "carnival: c.toml:9:1: unknown key 'colour' in [[service]] 'b' (known keys: name, command, args, replicas,"
                            + " restart, restart-options, restart-delay-ms, restart-limit, stop-timeout-ms, stop-signal,"
                            + " working-dir, critical, output, env-file, env, user, group, depends-on, readiness, liveness,"
                            + " log-buffer-lines, max-memory, max-memory-for-ms, schedule, schedule-timezone, overlap,"
                            + " run-on-start, success-exit-codes, stop-command, oom-score-adj, rollout, rollout-timeout-ms)"), lines);
            assertEquals("", c.stdout());
        }
    }

    @Test
    void checkReportsEveryMissingCommandAndPolicy() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "a"
                command = "carnival-missing-a"
                [[service]]
                name = "b"
                command = "carnival-missing-b"
                working-dir = "/nonexistent"
                """, "check")) {
            assertEquals(2, c.exitCode());
            assertEquals(List.of(
                    "carnival: c.toml:3:1: service 'a': command 'carnival-missing-a' not found on PATH",
                    "carnival: c.toml:7:1: service 'b': working directory '/nonexistent' does not exist",
                    "carnival: c.toml:6:1: service 'b': command 'carnival-missing-b' not found on PATH"),
                    c.stderr().lines().toList());
        }
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "a"
                command = "true"
                restart = "sometimes"
                [[service]]
                name = "b"
                command = "true"
                restart = "never"
                """, "check")) {
            assertEquals(2, c.exitCode());
            assertEquals(2, c.stderr().lines().filter(l -> l.contains("unknown restart policy")).count(), c.stderr());
        }
    }

    @Test
    void checkReportsAnUnknownPolicyAndAMissingBinaryInOneRun() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "a"
                command = "true"
                restart = "sometimes"
                [[service]]
                name = "b"
                command = "carnival-missing-b"
                """, "check")) {
            assertEquals(2, c.exitCode());
            assertEquals(List.of(
                    "carnival: c.toml:4:1: unknown restart policy 'sometimes' for service 'a' (known policies: always,"
                            + " no, on-failure)",
                    "carnival: c.toml:7:1: service 'b': command 'carnival-missing-b' not found on PATH"),
                    c.stderr().lines().toList());
        }
    }

    @Test
    void checkOnlyWarnsAboutWhatAnInitCommandMayCreate() {
        try (CarnivalProcess c = startConfig(dir, """
                [[init]]
                command = "mkdir"
                args = ["-p", "made-by-init"]
                [[service]]
                name = "a"
                command = "true"
                working-dir = "made-by-init"
                """, "check")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals("carnival: warning: c.toml:7:1: service 'a': working directory 'made-by-init' does not exist"
                    + " (unless an init command before it creates it)", c.stderr().strip());
        }
    }

    @Test
    void criticalServiceFailureBecomesTheExitCode() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "other"
                command = "sleep"
                args = ["1000"]
                [[service]]
                name = "db"
                command = "sh"
                args = ["-c", "exit 42"]
                critical = true
                """)) {
            assertEquals(42, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Shutting down services (critical service db[0] stopped (exited with code 42))"),
                    c.stderr());
        }
    }

    @Test
    void criticalServiceKilledBySignalExits128PlusN() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "db"
                command = "sh"
                args = ["-c", "kill -TERM $$"]
                restart = "on-failure"
                restart-delay-ms = 0
                restart-limit = 2
                critical = true
                """)) {
            assertEquals(143, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("db[0] reached restart limit (2), stopping"), c.stderr());
        }
    }

    @Test
    void exitCodeSurvivesAShutdownThatNeededSigkill() {
        try (CarnivalProcess c = startConfig(dir, """
                [global]
                shutdown-timeout-ms = 300
                [[service]]
                name = "stubborn"
                command = "sh"
                args = ["-c", "trap '' TERM; touch ready; while :; do sleep 0.05; done"]
                stop-timeout-ms = 600000
                [[service]]
                name = "db"
                command = "sh"
                args = ["-c", "while [ ! -e ready ]; do sleep 0.05; done; exit 9"]
                critical = true
                """)) {
            assertEquals(9, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Services still running after shutdown-timeout-ms (300ms), sending SIGKILL"), c.stderr());
        }
    }

    @Test
    void criticalServiceFinishingCleanlyExitsZero() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "other"
                command = "sleep"
                args = ["1000"]
                [[service]]
                name = "job"
                command = "true"
                critical = true
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"USR1", "USR2", "WINCH"})
    void signalsAreForwardedToEveryService(String signal) {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "listener"
                command = "sh"
                args = ["-c", "trap 'echo got >> got-$CARNIVAL_REPLICA_ID' %s; touch ready-$CARNIVAL_REPLICA_ID; while :; do sleep 0.05; done"]
                replicas = 2
                """.formatted(signal))) {
            Await.until("both replicas ready", () -> Files.exists(dir.resolve("ready-0")) && Files.exists(dir.resolve("ready-1")));
            c.signal(signal);
            Await.until(() -> "both replicas got SIG" + signal + "; log:\n" + c.stderr(),
                    () -> Configs.read(dir.resolve("got-0")).contains("got") && Configs.read(dir.resolve("got-1")).contains("got"));
            assertTrue(c.isAlive(), "a forwarded signal must not stop carnival");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Forwarded SIG" + signal + " to 2 running process(es)"), c.stderr());
        }
    }

    @Test
    void aSecondSignalSkipsTheGracePeriod() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "stubborn"
                command = "sh"
                args = ["-c", "trap '' TERM INT; echo $$ > pid; while :; do sleep 0.05; done"]
                stop-timeout-ms = 600000
                """)) {
            long pid = Configs.awaitPid(dir.resolve("pid"));
            c.signal("TERM");
            c.awaitLog("Shutting down services (signal SIGTERM)");
            c.signal("INT");
            // Without the fast path this would wait out the ten-minute stop timeout.
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("second signal SIGINT during shutdown: skipping the rest of the grace period, sending SIGKILL"),
                    c.stderr());
            assertFalse(Signals.alive(pid));
        }
    }
}
