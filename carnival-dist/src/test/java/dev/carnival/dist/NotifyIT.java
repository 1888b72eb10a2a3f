package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carnival.cli.control.StatusReport;
import dev.carnival.dist.ImageHarness.Result;
import dev.carnival.dist.ImageHarness.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * notify = true readiness through the real command and the real systemd-notify: READY=1 orders a
 * dependent, only the replica's own processes can make it ready, and NOTIFY_SOCKET reaches only
 * notify services (never Carnival's own).
 */
class NotifyIT {
    private static final Path SYSTEMD_NOTIFY = Path.of("/usr/bin/systemd-notify");

    @TempDir
    Path dir;

    @BeforeEach
    void systemdNotify() {
        assumeTrue(Files.isExecutable(SYSTEMD_NOTIFY), "needs systemd-notify");
    }

    /** db: a notify service that says where its socket is, then READY=1 once the test writes go. */
    private static final String DB_AND_APP = """
            [[service]]
            name = "db"
            command = "sh"
            args = ["-c", "printenv NOTIFY_SOCKET > socket.tmp; mv socket.tmp socket; while [ ! -e go ]; do sleep 0.05; done; systemd-notify --ready --status='accepting connections'; exec sleep 300"]
            [service.readiness]
            notify = true
            [[service]]
            name = "app"
            command = "sh"
            args = ["-c", "touch app-started; exec sleep 300"]
            depends-on = ["db"]
            """;

    @Test
    void readyFromTheServiceOrdersItsDependent() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(DB_AND_APP)) {
            Await.line(dir.resolve("socket"));
            control.awaitState("db", "running");
            assertEquals("waiting", control.row("app").state(), "app waits for db's READY=1");
            assertTrue(Files.notExists(dir.resolve("app-started")));
            Configs.write(dir, "go", "");
            Await.until(() -> "app started; log:\n" + c.stderr(), () -> Files.exists(dir.resolve("app-started")));
            StatusReport.Row db = control.row("db");
            assertTrue(db.ready(), db.toString());
            assertEquals("accepting connections", db.notifyStatus());
            assertTrue(c.stderr().indexOf("db[0] is ready") < c.stderr().indexOf("app[0] started"), c.stderr());
        }
    }

    /**
     * Another process of the same user (here the test's, as root) that sends READY=1 on db's
     * socket makes nothing ready. systemd-notify returns only once Carnival has taken the message
     * (its barrier), so what follows sees the outcome.
     */
    @Test
    void readyFromAnotherProcessIsIgnored() throws Exception {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(DB_AND_APP)) {
            String socket = Await.line(dir.resolve("socket"));
            Result forged = ImageHarness.run(Spec.with(dir, Map.of("NOTIFY_SOCKET", socket)),
                    SYSTEMD_NOTIFY.toString(), "--ready", "--status=forged");
            assertEquals(0, forged.exit(), forged::toString);
            c.awaitLog("db[0]: ignored a message on its NOTIFY_SOCKET from pid ");
            StatusReport.Row db = control.row("db");
            assertFalse(db.ready(), db.toString());
            assertNotEquals("forged", db.notifyStatus(), db.toString());
            assertEquals("waiting", control.row("app").state());
            assertFalse(c.stderr().contains("db[0] is ready"), c.stderr());

            Configs.write(dir, "go", "");
            Await.until(() -> "app started; log:\n" + c.stderr(), () -> Files.exists(dir.resolve("app-started")));
            assertEquals("accepting connections", control.row("db").notifyStatus());
        }
    }

    /**
     * Writes the NOTIFY_SOCKET it sees (or "none") to the file {@code name}, then runs {@code then}.
     * The shell reads the variable: {@code ${NOTIFY_SOCKET}} in the config would be Carnival's own,
     * interpolated as the config is read.
     */
    private static String writesItsSocket(String name, String then) {
        return "echo $(printenv NOTIFY_SOCKET || echo none) > %1$s.tmp; mv %1$s.tmp %1$s; %2$s".formatted(name, then);
    }

    private static String service(String name, String then, String more) {
        return """
                [[service]]
                name = "%s"
                command = "sh"
                args = ["-c", "%s"]
                """.formatted(name, writesItsSocket(name, then)) + more;
    }

    /**
     * Carnival started with a NOTIFY_SOCKET of its parent's passes it to nobody: an init command
     * and a plain service see none, a notify service sees its own; a config's env still sets it.
     */
    @Test
    void onlyNotifyServicesSeeANotifySocketAndNeverCarnivalsOwn() {
        String parents = dir.resolve("parent-notify").toString();
        String toml = """
                [[init]]
                command = "sh"
                args = ["-c", "%s"]
                """.formatted(writesItsSocket("init", ""))
                + service("plain", "exec sleep 300", "")
                + service("given", "exec sleep 300", "env = { NOTIFY_SOCKET = \"/run/given\" }\n")
                + service("notified", "systemd-notify --ready; exec sleep 300", "[service.readiness]\nnotify = true\n");
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("NOTIFY_SOCKET", parents),
                CarnivalProcess.withConfig(dir, toml))) {
            assertEquals("none", Await.line(dir.resolve("init")));
            assertEquals("none", Await.line(dir.resolve("plain")));
            assertEquals("/run/given", Await.line(dir.resolve("given")));
            String own = Await.line(dir.resolve("notified"));
            assertTrue(!own.equals(parents) && own.endsWith("/notify"), own);
            c.awaitLog("notified[0] is ready");
            assertFalse(Files.exists(Path.of(parents)), "nobody made or used the parent's socket");
        }
    }
}
