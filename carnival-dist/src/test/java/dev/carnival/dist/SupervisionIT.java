package dev.carnival.dist;

import static dev.carnival.dist.CarnivalProcess.runConfig;
import static dev.carnival.dist.CarnivalProcess.withConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the supervisor does with init commands and services, through the real command. */
@Tag(ImageHarness.JDK_FALLBACK)
class SupervisionIT {
    @TempDir
    Path dir;

    @Test
    void initCommandsRunInOrderBeforeServices() {
        try (CarnivalProcess c = runConfig(dir, """
                [[init]]
                command = "sh"
                args = ["-c", "echo one >> order"]
                [[init]]
                command = "sh"
                args = ["-c", "echo two >> order"]
                [[service]]
                name = "s"
                command = "sh"
                args = ["-c", "echo service >> order"]
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals("one\ntwo\nservice\n", Configs.read(dir.resolve("order")));
            assertTrue(c.stderr().contains("Running init command 1: sh -c 'echo one >> order'"), c.stderr());
            assertTrue(c.stderr().contains("Init command 2 finished in "), c.stderr());
        }
    }

    @Test
    void failingInitStopsEverythingWithExit1() {
        try (CarnivalProcess c = runConfig(dir, """
                [[init]]
                command = "sh"
                args = ["-c", "exit 3"]
                [[init]]
                command = "touch"
                args = ["second-init-ran"]
                [[service]]
                name = "s"
                command = "touch"
                args = ["service-ran"]
                """)) {
            assertEquals(1, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Init command 1 failed: sh -c 'exit 3': exited with code 3"), c.stderr());
            assertFalse(Files.exists(dir.resolve("second-init-ran")));
            assertFalse(Files.exists(dir.resolve("service-ran")));
            c.assertNoStackTrace();
        }
    }

    @Test
    void missingInitCommandIsAnInitFailure() {
        try (CarnivalProcess c = runConfig(dir, """
                [[init]]
                command = "carnival-no-such-init"
                [[service]]
                name = "s"
                command = "touch"
                args = ["service-ran"]
                """)) {
            assertEquals(1, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Init command 1 failed: carnival-no-such-init: "), c.stderr());
            assertFalse(Files.exists(dir.resolve("service-ran")));
            c.assertNoStackTrace();
        }
    }

    @Test
    void noServicesExitsZero() {
        try (CarnivalProcess c = runConfig(dir, "[[init]]\ncommand = \"true\"\n")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("No services configured"), c.stderr());
        }
    }

    @Test
    void everyProcessGetsItsIdentityInheritedEnvironmentAndDevNullStdin() {
        try (CarnivalProcess c = CarnivalProcess.run(dir, Map.of("FROM_PARENT", "inherited"), withConfig(dir, """
                [[service]]
                name = "worker"
                command = "sh"
                args = ["-c", 'echo "$CARNIVAL_SERVICE_NAME $CARNIVAL_REPLICA_ID $CARNIVAL_REPLICA_COUNT $CARNIVAL_RESTART_COUNT $FROM_PARENT $(readlink /proc/self/fd/0)" > out-$CARNIVAL_REPLICA_ID']
                replicas = 2
                """))) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals("worker 0 2 0 inherited /dev/null\n", Configs.read(dir.resolve("out-0")));
            assertEquals("worker 1 2 0 inherited /dev/null\n", Configs.read(dir.resolve("out-1")));
        }
    }

    @Test
    void interpolationInStringsAndNumbersKeepsUnsetVariablesForTheShell() {
        try (CarnivalProcess c = CarnivalProcess.run(dir, Map.of("GREETING", "hello", "COUNT", "3"), withConfig(dir, """
                [[service]]
                name = "${NAME:-fallback}"
                command = "sh"
                args = ["-c", 'echo "${GREETING} ${MISSING:-dflt} $CARNIVAL_SERVICE_NAME [${CARNIVAL_TEST_UNSET}]" >> out']
                replicas = "${COUNT:-1}"
                restart-delay-ms = "${DELAY:-0}"
                """))) {
            assertEquals(0, c.exitCode(), c.stderr());
            // Three replicas (COUNT=3); NAME unset falls back; the shell expands what carnival kept.
            assertEquals(List.of("hello dflt fallback []", "hello dflt fallback []", "hello dflt fallback []"),
                    Configs.read(dir.resolve("out")).lines().toList());
        }
    }

    @Test
    void workingDirectory() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        try (CarnivalProcess c = runConfig(dir, """
                [[init]]
                command = "sh"
                args = ["-c", "pwd > init-pwd"]
                working-dir = "sub"
                [[service]]
                name = "s"
                command = "sh"
                args = ["-c", "pwd > service-pwd"]
                working_dir = "sub"
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(sub.toRealPath().toString(), Configs.read(sub.resolve("init-pwd")).strip());
            assertEquals(sub.toRealPath().toString(), Configs.read(sub.resolve("service-pwd")).strip());
        }
    }

    @Test
    void restartLimitIsRunsInTotalPerReplica() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "r"
                command = "sh"
                args = ["-c", 'echo "$CARNIVAL_REPLICA_ID $CARNIVAL_RESTART_COUNT" >> runs; exit 1']
                replicas = 2
                restart = "always"
                restart-delay-ms = 0
                restart-limit = 3
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
            Set<String> runs = Configs.read(dir.resolve("runs")).lines().collect(Collectors.toSet());
            assertEquals(Set.of("0 0", "0 1", "0 2", "1 0", "1 1", "1 2"), runs);
            assertEquals(6, Configs.lines(dir.resolve("runs")));
            assertTrue(c.stderr().contains("r[0] reached restart limit (3), stopping"), c.stderr());
            assertTrue(c.stderr().matches("(?s).*r\\[1\\] started with PID \\d+ \\(restart 2\\).*"), c.stderr());
            assertFalse(c.stderr().contains("restarting in"), "no delay, no restarting line at info: " + c.stderr());
        }
    }

    @Test
    void onFailureRestartsUntilSuccess() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "flaky"
                command = "sh"
                args = ["-c", 'echo run >> runs; [ "$CARNIVAL_RESTART_COUNT" -ge 2 ]']
                restart = "on-failure"
                restart-delay-ms = 10
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(3, Configs.lines(dir.resolve("runs")));
            assertTrue(c.stderr().contains("flaky[0] not restarting (policy: on-failure)"), c.stderr());
        }
    }

    @Test
    void noPolicyRunsOnceWhateverTheExitCode() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "once"
                command = "sh"
                args = ["-c", "echo run >> runs; exit 7"]
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(1, Configs.lines(dir.resolve("runs")));
            assertTrue(c.stderr().contains("once[0] exited with code 7"), c.stderr());
            assertTrue(c.stderr().contains("once[0] not restarting (policy: no)"), c.stderr());
        }
    }

    @Test
    void killedBySignalIsReportedAsSuch() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "victim"
                command = "sh"
                args = ["-c", "kill -KILL $$"]
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("victim[0] killed by SIGKILL") || c.stderr().contains("victim[0] exited with code 137"),
                    c.stderr());
        }
    }

    @Test
    void keepsRunningUntilEveryServiceHasFinished() {
        // The original stops everything once two replicas have finished; "late" proves we do not.
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "quick"
                command = "sh"
                args = ["-c", "touch quick-$CARNIVAL_REPLICA_ID"]
                replicas = 3
                [[service]]
                name = "late"
                command = "sh"
                args = ["-c", "while [ ! -e quick-0 ] || [ ! -e quick-1 ] || [ ! -e quick-2 ]; do sleep 0.05; done; sleep 0.3; touch late-done"]
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(Files.exists(dir.resolve("late-done")), "carnival stopped before every service finished:\n" + c.stderr());
        }
    }

    @Test
    void criticalServiceStoppingForGoodShutsEverythingDown() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "forever"
                command = "sh"
                args = ["-c", "echo $$ > forever.pid; exec sleep 1000"]
                [[service]]
                name = "vital"
                command = "sh"
                args = ["-c", "while [ ! -s forever.pid ]; do sleep 0.05; done; exit 4"]
                critical = true
                """)) {
            assertEquals(4, c.exitCode(), "a critical service's failure is the exit code: " + c.stderr());
            assertTrue(c.stderr().contains("Shutting down services (critical service vital[0] stopped (exited with code 4))"),
                    c.stderr());
            long pid = Configs.awaitPid(dir.resolve("forever.pid"));
            assertFalse(Signals.alive(pid), "the other service must be stopped");
        }
    }

    @Test
    void zeroReplicasIsAllowed() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "off"
                command = "touch"
                args = ["ran"]
                replicas = "${CARNIVAL_TEST_REPLICAS:-0}"
                """)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertFalse(Files.exists(dir.resolve("ran")));
        }
    }
}
