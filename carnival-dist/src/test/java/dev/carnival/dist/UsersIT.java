package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * user and group, through the real command run as root: every id of the child is the user's,
 * and Carnival's own stay root the whole time. Native process control only (the JDK fallback
 * refuses user, see ProcessControlIT).
 */
class UsersIT {
    /** nobody and nogroup on Debian and Ubuntu (and the uid/gid most images give nobody). */
    private static final String NOBODY = "65534";
    /** Made by carnival-spawn-as, a thread that lives for one spawn (its name, cut to 15 bytes). */
    private static final String SPAWN_THREAD = "carnival-spawn-";

    @TempDir
    Path dir;

    @BeforeEach
    void rootAndAWorldWritableDirectory() throws IOException {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("Uid:\t0\t0\t0\t0"), "needs root");
        assumeTrue(Files.readString(Path.of("/etc/passwd")).contains("nobody:x:" + NOBODY + ":" + NOBODY + ":"),
                "needs nobody with uid and gid 65534");
        assumeFalse(ImageHarness.jdkProcessControl());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private static final String TOML = """
            [[init]]
            command = "sh"
            args = ["-c", "cat /proc/self/status > init.status; echo \\"$(printenv HOME) $(printenv USER) $(printenv LOGNAME)\\" > init.who"]
            user = "nobody"

            [[service]]
            name = "svc"
            command = "sh"
            args = ["-c", "cat /proc/self/status > svc.status.$CARNIVAL_RESTART_COUNT; echo \\"$(printenv HOME) $(printenv USER) $(printenv LOGNAME)\\" > svc.who"]
            user = "nobody"
            restart = "always"
            restart-delay-ms = 0
            restart-limit = 30

            [[service]]
            name = "grouped"
            command = "sh"
            args = ["-c", "cat /proc/self/status > grouped.status; echo \\"$(printenv HOME) $(printenv USER) $(printenv LOGNAME)\\" > grouped.who"]
            user = "65534"
            group = "daemon"
            env = { HOME = "/srv/home" }
            """;

    private static final String YAML = """
            init:
              - command: sh
                args: [-c, 'cat /proc/self/status > init.status; echo "$(printenv HOME) $(printenv USER) $(printenv LOGNAME)" > init.who']
                user: nobody
            service:
              - name: svc
                command: sh
                args: [-c, 'cat /proc/self/status > svc.status.$CARNIVAL_RESTART_COUNT; echo "$(printenv HOME) $(printenv USER) $(printenv LOGNAME)" > svc.who']
                user: nobody
                restart: always
                restart-delay-ms: 0
                restart-limit: 30
              - name: grouped
                command: sh
                args: [-c, 'cat /proc/self/status > grouped.status; echo "$(printenv HOME) $(printenv USER) $(printenv LOGNAME)" > grouped.who']
                user: "65534"
                group: daemon
                env: { HOME: /srv/home }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"toml", "yaml"})
    void initAndServicesRunAsNobodyWithAllFourIdsWhileCarnivalStaysRoot(String format) throws IOException {
        Configs.write(dir, "c." + format, format.equals("toml") ? TOML : YAML);
        int samples = 0;
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of(), "-c", "c." + format)) {
            // Sample Carnival's own credentials, every thread, while it spawns 31 processes as nobody.
            while (c.isAlive()) {
                samples += assertCarnivalIsRoot(c.pid());
            }
            assertEquals(0, c.exitCode(), c.stderr());
        }
        assertTrue(samples > 0);
        for (String file : List.of("init.status", "svc.status.0", "svc.status.29")) {
            String status = Configs.read(dir.resolve(file));
            assertTrue(status.contains("Uid:\t" + ids(NOBODY)), file + ":\n" + status);
            assertTrue(status.contains("Gid:\t" + ids(NOBODY)), file + ":\n" + status);
            assertTrue(status.contains("Groups:\t" + NOBODY + " \n") || status.contains("Groups:\t" + NOBODY + "\n"),
                    "supplementary groups are nobody's (only nogroup), not root's: " + file + ":\n" + status);
            assertTrue(status.contains("CapEff:\t0000000000000000"), file + ":\n" + status);
        }
        String grouped = Configs.read(dir.resolve("grouped.status"));
        assertTrue(grouped.contains("Uid:\t" + ids(NOBODY)), grouped);
        assertTrue(grouped.contains("Gid:\t" + ids("1")), "group = \"daemon\" is gid 1: " + grouped);
        assertTrue(grouped.contains("Groups:\t1 \n") || grouped.contains("Groups:\t1\n"), grouped);
        assertEquals("/nonexistent nobody nobody\n", Configs.read(dir.resolve("init.who")));
        assertEquals("/nonexistent nobody nobody\n", Configs.read(dir.resolve("svc.who")));
        assertEquals("/srv/home nobody nobody\n", Configs.read(dir.resolve("grouped.who")), "env sets HOME: kept");
    }

    /** Carnival's /proc/PID/status, and every thread's but a spawn thread's, says root; how many were read. */
    private static int assertCarnivalIsRoot(long pid) throws IOException {
        Path proc = Path.of("/proc/" + pid);
        int read = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            String main = Files.readString(proc.resolve("status"));
            assertTrue(main.contains("Uid:\t0\t0\t0\t0") && main.contains("Gid:\t0\t0\t0\t0"), main);
            read++;
            for (Path task : tasks.toList()) {
                String status;
                String name;
                try {
                    status = Files.readString(task.resolve("status"));
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException ended) {
                    continue; // the thread ended while we listed, or Carnival exited
                }
                if (!name.equals(SPAWN_THREAD)) {
                    assertTrue(status.contains("Uid:\t0\t0\t0\t0"), "thread " + name + ":\n" + status);
                    read++;
                }
            }
        } catch (IOException exited) {
            return read; // Carnival has exited
        }
        return read;
    }

    private static String ids(String id) {
        return id + "\t" + id + "\t" + id + "\t" + id + "\n";
    }

    @Test
    void unknownUserOrGroupIsAConfigErrorNamingIt() {
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, Configs.ONE_TRUE_SERVICE + "user = \"ghost\"\n")) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertEquals("carnival: c.toml:4:1: service 'a': unknown user 'ghost' (not in /etc/passwd)", c.stderr().strip());
        }
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, """
                [[init]]
                command = "touch"
                args = ["ran"]
                user = "nobody"
                group = "ghosts"
                """)) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertEquals("carnival: c.toml:4:1: init command 1: unknown group 'ghosts' (not in /etc/group)", c.stderr().strip());
            assertFalse(Files.exists(dir.resolve("ran")));
        }
    }

    /**
     * Carnival itself run as nobody (setpriv): another user is an error, its own user is fine. From
     * a copy of the image nobody can reach, wherever the checkout lives.
     */
    @Test
    void whenCarnivalIsNotRootOnlyItsOwnUserIsAllowed() throws IOException {
        List<String> asNobody = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
        Path image = ImageHarness.homeForEveryone();
        try (CarnivalProcess c = CarnivalProcess.startImage(image, asNobody, dir, Map.of(),
                CarnivalProcess.withConfig(dir, Configs.ONE_TRUE_SERVICE + "user = \"root\"\n"))) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertEquals("carnival: c.toml:4:1: service 'a': cannot run as user 'root': Carnival runs as uid 65534, not as root",
                    c.stderr().strip());
        }
        try (CarnivalProcess c = CarnivalProcess.startImage(image, asNobody, dir, Map.of(), CarnivalProcess.withConfig(dir, """
                [[service]]
                name = "a"
                command = "sh"
                args = ["-c", "echo \\"$(id -u) $(printenv HOME) $(printenv USER)\\" > who"]
                user = "nobody"
                """))) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(NOBODY + " /nonexistent nobody\n", Configs.read(dir.resolve("who")));
        }
    }
}
