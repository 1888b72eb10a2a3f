package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.cli.control.StatusReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** restart, stop, start and signal through the real command, seen in the real processes. */
@Tag(ImageHarness.JDK_FALLBACK)
class ControlOperationsIT {
    @TempDir
    Path dir;

    @Test
    void restartGivesEveryReplicaANewProcess() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(ControlSocketIT.TWO_SLEEPERS)) {
            control.awaitState("web", "running");
            List<Long> before = control.pids("web");
            try (CarnivalProcess r = control.client("restart", "web")) {
                assertEquals(0, r.exitCode(), r.stderr());
            }
            StatusReport after = control.awaitState("web", "running");
            List<Long> now = control.pids("web");
            assertEquals(2, now.size(), after.toString());
            for (int i = 0; i < 2; i++) {
                assertNotEquals(before.get(i), now.get(i), "web[" + i + "] has a new process");
                long old = before.get(i);
                Await.until("old process " + old + " gone", () -> !Signals.alive(old));
            }
            c.awaitLog("Restart web requested (socket)");
        }
    }

    @Test
    void restartOfOneReplicaLeavesTheOtherAlone() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(ControlSocketIT.TWO_SLEEPERS)) {
            control.awaitState("web", "running");
            List<Long> before = control.pids("web");
            try (CarnivalProcess r = control.client("restart", "web/1")) {
                assertEquals(0, r.exitCode(), r.stderr());
            }
            control.awaitState("web", "running");
            List<Long> now = control.pids("web");
            assertEquals(before.get(0), now.get(0));
            assertNotEquals(before.get(1), now.get(1));
        }
    }

    @Test
    void stopKeepsItStoppedAndTheSupervisorRunningUntilStart() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start("""
                [[service]]
                name = "web"
                command = "sleep"
                args = ["300"]
                replicas = 2
                restart = "always"
                critical = true
                """)) {
            control.awaitState("web", "running");
            List<Long> before = control.pids("web");
            try (CarnivalProcess s = control.client("stop", "web")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            for (long pid : before) {
                assertFalse(Signals.alive(pid), "process " + pid + " is gone once stop returned");
            }
            StatusReport stopped = control.awaitState("web", "stopped");
            assertTrue(stopped.unhealthy().isEmpty(), "an operator-stopped service is not a problem: " + stopped);
            try (CarnivalProcess s = control.client("status")) {
                assertEquals(0, s.exitCode(), s.stdout());
            }
            assertTrue(c.isAlive(), "a stopped critical service does not end the supervisor: " + c.stderr());

            try (CarnivalProcess s = control.client("start", "web")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            control.awaitState("web", "running");
            List<Long> again = control.pids("web");
            assertEquals(2, again.size());
            again.forEach(pid -> assertTrue(Signals.alive(pid)));
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void startRunsAServiceThatFinishedForGoodAgain() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(ControlSocketIT.TWO_SLEEPERS + """
                [[service]]
                name = "job"
                command = "sh"
                args = ["-c", "echo ran >> runs.txt; exit 1"]
                restart = "on-failure"
                restart-limit = 2
                restart-delay-ms = 10
                """)) {
            control.awaitState("job", "stopped");
            assertEquals(2, Configs.lines(dir.resolve("runs.txt")));
            try (CarnivalProcess s = control.client("start", "job")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            Await.until("a fresh restart-limit: two more runs", () -> Configs.lines(dir.resolve("runs.txt")) == 4);
            control.awaitState("job", "stopped");
        }
    }

    @Test
    void signalReachesTheProcessGroup() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start("""
                [[service]]
                name = "trap"
                command = "sh"
                args = ["-c", "trap 'echo HUP >> $CARNIVAL_REPLICA_ID.txt' HUP; trap 'echo USR1 >> $CARNIVAL_REPLICA_ID.txt' USR1; echo ready > ready-$CARNIVAL_REPLICA_ID; while :; do sleep 0.05; done"]
                replicas = 2
                """)) {
            Await.until("both traps set", () -> dir.resolve("ready-0").toFile().exists() && dir.resolve("ready-1").toFile().exists());
            try (CarnivalProcess s = control.client("signal", "HUP", "trap")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            Await.until("both replicas saw SIGHUP", () -> Configs.read(dir.resolve("0.txt")).equals("HUP\n")
                    && Configs.read(dir.resolve("1.txt")).equals("HUP\n"));
            try (CarnivalProcess s = control.client("signal", "10", "trap/1")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            Await.until("replica 1 saw SIGUSR1", () -> Configs.read(dir.resolve("1.txt")).equals("HUP\nUSR1\n"));
            assertEquals("HUP\n", Configs.read(dir.resolve("0.txt")));
            assertTrue(c.isAlive());
        }
    }
}
