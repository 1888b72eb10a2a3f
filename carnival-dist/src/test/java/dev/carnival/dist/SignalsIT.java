package dev.carnival.dist;

import static dev.carnival.dist.CarnivalProcess.startConfig;
import static dev.carnival.dist.Configs.awaitPid;
import static dev.carnival.dist.ImageHarness.jdkProcessControl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Graceful shutdown on real signals, stopping whole process trees. */
@Tag(ImageHarness.JDK_FALLBACK)
class SignalsIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "HUP"})
    void shutdownSignalsStopServicesAndExitZero(String signal) {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "sleeper"
                command = "sh"
                args = ["-c", "echo $$ > pid-$CARNIVAL_REPLICA_ID; exec sleep 1000"]
                replicas = 2
                restart = "always"
                """)) {
            long p0 = awaitPid(dir.resolve("pid-0"));
            long p1 = awaitPid(dir.resolve("pid-1"));
            c.signal(signal);
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Shutting down services (signal SIG" + signal + ")"), c.stderr());
            assertFalse(Signals.alive(p0));
            assertFalse(Signals.alive(p1));
            assertFalse(c.stderr().contains("restarting"), "no restart during shutdown:\n" + c.stderr());
        }
    }

    @Test
    void stoppingAServiceStopsItsGrandchildren() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "parent"
                command = "sh"
                args = ["-c", "sleep 1000 & echo $! > grandchild.pid; wait"]
                """)) {
            long grandchild = awaitPid(dir.resolve("grandchild.pid"));
            assertTrue(Signals.alive(grandchild));
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            Await.until("grandchild gone", () -> !Signals.alive(grandchild));
        }
    }

    @Test
    void aGrandchildThatOutlivesItsParentIsKilledAfterStopTimeout() {
        assumeTrue(!jdkProcessControl(), "process groups are native only");
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "parent"
                command = "sh"
                args = ["-c", '''sh -c 'trap "" TERM; echo $$ > grandchild.pid; exec sleep 1000' & wait''']
                stop-timeout-ms = 300
                """)) {
            long grandchild = awaitPid(dir.resolve("grandchild.pid"));
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("parent[0]: processes of its group still running 300ms after SIGTERM, sending SIGKILL"),
                    c.stderr());
            Await.until("grandchild gone", () -> !Signals.alive(grandchild));
        }
    }

    @Test
    void processIgnoringTheStopSignalIsKilledAfterStopTimeout() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "stubborn"
                command = "sh"
                args = ["-c", "trap '' TERM; echo $$ > pid; while :; do sleep 0.05; done"]
                stop-timeout-ms = 300
                """)) {
            long pid = awaitPid(dir.resolve("pid"));
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("stubborn[0] did not stop within 300ms after SIGTERM, sending SIGKILL"), c.stderr());
            assertTrue(c.stderr().contains("stubborn[0] killed by SIGKILL") || c.stderr().contains("stubborn[0] exited with code 137"),
                    c.stderr());
            assertFalse(Signals.alive(pid));
        }
    }

    @Test
    void aServiceIsStoppedWithItsOwnStopSignal() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "custom"
                command = "sh"
                args = ["-c", "trap 'echo USR1 > got; exit 0' USR1; trap 'echo TERM > got; exit 1' TERM; echo $$ > pid; while :; do sleep 0.05; done"]
                stop-signal = "SIGUSR1"
                stop-timeout-ms = 60000
                """)) {
            long pid = awaitPid(dir.resolve("pid"));
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals("USR1", Configs.read(dir.resolve("got")).strip(), "the trap saw the stop signal");
            assertTrue(c.stderr().contains("custom[0] exited with code 0"), c.stderr());
            assertFalse(c.stderr().contains("sending SIGKILL"), c.stderr());
            assertFalse(Signals.alive(pid));
        }
    }

    @Test
    void globalShutdownTimeoutBoundsTheWholeShutdown() {
        try (CarnivalProcess c = startConfig(dir, """
                [global]
                shutdown-timeout-ms = 300
                [[service]]
                name = "stubborn"
                command = "sh"
                args = ["-c", "trap '' TERM; echo $$ > pid; while :; do sleep 0.05; done"]
                stop-timeout-ms = 600000
                """)) {
            long pid = awaitPid(dir.resolve("pid"));
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Services still running after shutdown-timeout-ms (300ms), sending SIGKILL"), c.stderr());
            assertFalse(Signals.alive(pid));
        }
    }

    @Test
    void shutdownDuringARestartDelayDoesNotWaitItOut() {
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "napper"
                command = "true"
                restart = "always"
                restart-delay-ms = 600000
                """)) {
            c.awaitLog("napper[0] restarting in 600000ms (restart 1)");
            c.signal("TERM");
            // The deadline in exitCode() is far shorter than the ten-minute delay.
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(1, c.stderr().lines().filter(l -> l.contains("napper[0] started")).count(), c.stderr());
        }
    }

    @Test
    void shutdownDuringInitStopsTheInitCommandAndExits1() {
        try (CarnivalProcess c = startConfig(dir, """
                [[init]]
                command = "sh"
                args = ["-c", "echo $$ > init.pid; exec sleep 1000"]
                [[service]]
                name = "s"
                command = "touch"
                args = ["service-ran"]
                """)) {
            long pid = awaitPid(dir.resolve("init.pid"));
            c.signal("TERM");
            assertEquals(1, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Init command 1 failed: sh -c 'echo $$ > init.pid; exec sleep 1000': interrupted by shutdown"),
                    c.stderr());
            assertFalse(Signals.alive(pid));
            assertFalse(Files.exists(dir.resolve("service-ran")));
        }
    }
}
