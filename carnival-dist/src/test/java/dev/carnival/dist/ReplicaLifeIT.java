package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's life through the real command where plugin code or dependencies could hold it up:
 * facts are published when they happen (issue 23), an operator's start waits for depends-on and a
 * shutdown is no dependency failure (issue 29).
 */
class ReplicaLifeIT {
    private static final String STUCK_MODULE = """
            module test.stuck {
                requires carnival.api;
                provides dev.carnival.api.restart.RestartPolicyProvider with test.stuck.Stuck;
                provides dev.carnival.api.event.LifecycleListener with test.stuck.Exits;
            }
            """;
    /** A policy whose decide() never returns. */
    private static final String STUCK = """
            package test.stuck;

            import dev.carnival.api.restart.*;

            public final class Stuck implements RestartPolicyProvider {
                public String name() { return "test-stuck"; }
                public RestartPolicy create(PolicyOptions options) {
                    return outcome -> {
                        while (true) {
                            try {
                                Thread.sleep(60_000);
                            } catch (InterruptedException e) {
                                // plugin code that ignores interrupts too
                            }
                        }
                    };
                }
            }
            """;
    /** A listener that notes each exit it hears of in a file of its own (written, then renamed). */
    private static final String EXITS = """
            package test.stuck;

            import dev.carnival.api.event.*;
            import java.nio.file.*;

            public final class Exits implements LifecycleListener {
                public void onEvent(LifecycleEvent event) {
                    if (event instanceof LifecycleEvent.ProcessExited e) {
                        try {
                            Path tmp = Files.writeString(Path.of("exit-event.tmp"), e.replica() + " " + e.status().describe());
                            Files.move(tmp, Path.of("exit-event"), StandardCopyOption.ATOMIC_MOVE);
                        } catch (java.io.IOException x) {
                            throw new java.io.UncheckedIOException(x);
                        }
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void anExitIsReportedAtOnceUnderAPolicyThatNeverAnswersAndSigtermStillEndsTheRun() throws Exception {
        TestModules.jar(dir, dir.resolve("plugins"), "test-stuck.jar", Map.of(
                "module-info.java", STUCK_MODULE, "test/stuck/Stuck.java", STUCK, "test/stuck/Exits.java", EXITS));
        Duration shutdownTimeout = Duration.ofSeconds(30);
        Configs.write(dir, "c.toml", """
                [global]
                shutdown-timeout-ms = %d

                [[service]]
                name = "web"
                command = "sh"
                args = ["-c", "exit 1"]
                restart = "test-stuck"
                """.formatted(shutdownTimeout.toMillis()));
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of(), "--plugin-path", "plugins", "-c", "c.toml")) {
            c.awaitLog("web[0] exited with code 1");
            Await.until("the plugin listener heard of the exit", () -> Files.exists(dir.resolve("exit-event")));
            assertEquals("web[0] exited with code 1", Files.readString(dir.resolve("exit-event")));
            assertTrue(c.isAlive(), "the policy still decides: " + c.stderr());

            long sent = System.nanoTime();
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertTrue(took.compareTo(shutdownTimeout) < 0, "ended within shutdown-timeout-ms, took " + took);
            assertFalse(c.stderr().contains("after shutdown-timeout-ms"), "nothing left to kill: " + c.stderr());
            c.assertNoStackTrace();
        }
    }

    /** A db whose readiness never passes, and an app that depends on it. */
    private static final String APP_ON_DB = """
            [[service]]
            name = "db"
            command = "sleep"
            args = ["300"]
            [service.readiness]
            exec = ["sh", "-c", "test -f db-ready"]
            period-ms = 50

            [[service]]
            name = "app"
            command = "sh"
            args = ["-c", "echo app >> app-runs; exec sleep 300"]
            depends-on = { db = "ready" }
            """;

    @Test
    void startAfterStopWaitsForDependsOnAsTheFirstStartDid() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(APP_ON_DB)) {
            c.awaitLog("app[0] waiting for db (ready)");
            try (CarnivalProcess s = control.client("stop", "app")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            control.awaitState("app", "stopped");
            try (CarnivalProcess s = control.client("start", "app")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            control.awaitState("app", "waiting");
            Await.until("the second wait logged", () -> c.stderr().split("app\\[0] waiting for db \\(ready\\)", -1)
                    .length == 3);
            assertFalse(Files.exists(dir.resolve("app-runs")), "app must not start before db is ready: " + c.stderr());

            Configs.write(dir, "db-ready", "");
            c.awaitLog("db[0] is ready");
            Await.until("app starts once db is ready", () -> Files.exists(dir.resolve("app-runs")));
            control.awaitState("app", "running");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void aShutdownWhileADependentWaitsIsNoDependencyFailure() {
        Configs.write(dir, "c.toml", APP_ON_DB);
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of(), "-c", "c.toml")) {
            c.awaitLog("app[0] waiting for db (ready)");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("db[0] killed by SIGTERM"), "the dependency was stopped: " + c.stderr());
            assertFalse(c.stderr().contains("[ERROR]"), "a shutdown is no failure: " + c.stderr());
            assertFalse(c.stderr().contains("dependency db failed"), c.stderr());
        }
    }
}
