package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.Reaping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.runtime.process.Accounts;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Credentials;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.SpawnRequest;
import dev.carnival.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child spawned with credentials runs as that user, every one of its ids; this JVM stays root. */
class RunAsUserTest {
    @TempDir
    Path tmp;

    /** In tmp, which nobody can reach: not in this JVM's directory, inside a checkout that may be 0700. */
    @Test
    void childRunsAsNobodyWithAllFourIdsAndItsGroupsWhileEveryThreadHereStaysRoot() throws Exception {
        assumeTrue(status(Path.of("/proc/self/status")).contains("Uid:\t0\t0\t0\t0"), "needs root");
        Credentials nobody = Accounts.system().resolve("nobody", null);
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path out = tmp.resolve("status");
        try (LinuxProcessControl control = LinuxProcessControl.open(Reaping.OWN_CHILDREN)) {
            for (int i = 0; i < 20; i++) {
                Files.deleteIfExists(out);
                ChildProcess child = control.spawn(new SpawnRequest(
                        List.of("sh", "-c", "cat /proc/self/status > " + out + "; id -G >> " + out),
                        Environment.of(Map.of("PATH", "/usr/bin:/bin")), tmp, null, null, nobody));
                assertEquals(ExitStatus.exited(0), child.onExit().get(30, TimeUnit.SECONDS));
                String s = status(out);
                String uid = Integer.toUnsignedString(nobody.uid());
                String gid = Integer.toUnsignedString(nobody.gid());
                assertTrue(s.contains("Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"), s);
                assertTrue(s.contains("Gid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid + "\n"), s);
                assertTrue(s.contains("CapEff:\t0000000000000000"), s);
                assertEquals(gid, s.strip().lines().toList().getLast().strip(), s);
                assertEveryThreadIsRoot();
            }
        }
    }

    @Test
    void withoutCredentialsTheChildIsRootAsBefore() throws Exception {
        assumeTrue(status(Path.of("/proc/self/status")).contains("Uid:\t0\t0\t0\t0"), "needs root");
        Path out = tmp.resolve("status");
        try (LinuxProcessControl control = LinuxProcessControl.open(Reaping.OWN_CHILDREN)) {
            ChildProcess child = control.spawn(new SpawnRequest(List.of("sh", "-c", "cat /proc/self/status > " + out),
                    Environment.of(Map.of("PATH", "/usr/bin:/bin")), null));
            assertEquals(ExitStatus.exited(0), child.onExit().get(30, TimeUnit.SECONDS));
            assertTrue(status(out).contains("Uid:\t0\t0\t0\t0"));
        }
    }

    /**
     * The spawning thread has ended as a Java thread when spawn returns, and its kernel task goes
     * a moment later; after that, none may be left with other ids.
     */
    private static void assertEveryThreadIsRoot() throws IOException {
        Await.until("the spawning thread's task to end", () -> tasks().noneMatch(t -> name(t).equals("carnival-spawn-")));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String s;
                try {
                    s = status(task.resolve("status"));
                } catch (IOException gone) {
                    continue; // a thread that ended while we listed
                }
                assertTrue(s.contains("Uid:\t0\t0\t0\t0") && s.contains("Gid:\t0\t0\t0\t0"), task + ":\n" + s);
            }
        }
    }

    private static Stream<Path> tasks() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String name(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException ended) {
            return "";
        }
    }

    private static String status(Path p) throws IOException {
        return Files.readString(p);
    }
}
