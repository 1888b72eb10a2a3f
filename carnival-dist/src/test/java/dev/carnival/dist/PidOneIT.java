package dev.carnival.dist;

import static dev.carnival.dist.CarnivalProcess.withConfig;
import static dev.carnival.dist.ImageHarness.NEW_PID_NAMESPACE;
import static dev.carnival.dist.ImageHarness.assumePidNamespaces;
import static dev.carnival.dist.ImageHarness.command;
import static dev.carnival.dist.ImageHarness.jdkProcessControl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Carnival as PID 1 of a new PID namespace: orphans reaped, managed exit statuses never stolen. */
class PidOneIT {
    /** The supervisor as PID 1; unshare takes it down should a test leave it running. */
    static final List<String> AS_PID_ONE = command(NEW_PID_NAMESPACE, "--kill-child");

    @TempDir
    Path dir;

    @BeforeAll
    static void namespacesAvailable() throws Exception {
        assumePidNamespaces();
    }

    /** The supervisor's host pid: the one child of the unshare process. */
    static long supervisorPid(CarnivalProcess c) {
        long[] pid = {-1};
        Await.until("carnival started inside the namespace", () -> {
            pid[0] = ProcessHandle.of(c.pid()).stream().flatMap(ProcessHandle::children)
                    .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
            return pid[0] > 0;
        });
        return pid[0];
    }

    /** Zombies whose parent is {@code parent}, from the host's /proc. */
    private static long zombieChildren(long parent) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(PidOneIT::statusOf)
                    .filter(s -> s.contains("State:\tZ") && s.contains("\nPPid:\t" + parent + "\n"))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A process's /proc status, or "" once it has gone: the scan races every exit (ESRCH on read). */
    private static String statusOf(Path proc) {
        try {
            return Files.readString(proc.resolve("status"));
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void orphansAreReapedWhenCarnivalIsPidOne() {
        assumeTrue(!jdkProcessControl(), "orphan reaping is native only");
        String toml = """
                [[service]]
                name = "orphan-maker"
                command = "sh"
                args = ["-c", "for i in 1 2 3 4 5 6 7 8 9 10; do (sleep 0.05 &); done; touch made; exec sleep 1000"]
                """;
        try (CarnivalProcess c = CarnivalProcess.startWrapped(AS_PID_ONE, dir, Map.of(), withConfig(dir, toml))) {
            long carnival = supervisorPid(c);
            Await.until("orphans made", () -> Files.exists(dir.resolve("made")));
            // The orphans' parent is now carnival (PID 1 inside); each dies after 50 ms and must not stay a zombie.
            Await.until(() -> "no zombie children of carnival; zombies: " + zombieChildren(carnival),
                    () -> zombieChildren(carnival) == 0 && noSleepChildrenLeft(carnival));
            Signals.send("TERM", carnival);
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("Process control: Linux native"), c.stderr());
        }
    }

    private static boolean noSleepChildrenLeft(long parent) {
        return ProcessHandle.of(parent).stream().flatMap(ProcessHandle::children)
                .noneMatch(h -> h.info().command().orElse("").endsWith("sleep")
                        && h.info().arguments().map(a -> a.length == 1 && a[0].equals("0.05")).orElse(false));
    }

    @Test
    void managedChildrenAreEachRunExactlyOnceUnderOrphanChurn() {
        assumeTrue(!jdkProcessControl(), "orphan reaping is native only");
        String toml = """
                [[service]]
                name = "churn"
                command = "sh"
                args = ["-c", "while :; do (true &); (sleep 0.001 &); done"]
                [[service]]
                name = "task"
                command = "sh"
                args = ["-c", "sleep 0.0$((CARNIVAL_REPLICA_ID % 10)); echo run >> run-$CARNIVAL_REPLICA_ID"]
                replicas = 100
                restart = "on-failure"
                restart-delay-ms = 0
                """;
        try (CarnivalProcess c = CarnivalProcess.startWrapped(AS_PID_ONE, dir, Map.of(), withConfig(dir, toml))) {
            long carnival = supervisorPid(c);
            Await.until(() -> "all 100 tasks finished; log:\n" + c.stderr(),
                    () -> c.stderr().lines().filter(l -> l.contains("not restarting (policy: on-failure)")).count() == 100);
            Signals.send("TERM", carnival);
            assertEquals(0, c.exitCode(), c.stderr());
            IntStream.range(0, 100).forEach(i ->
                    assertEquals(1, Configs.lines(dir.resolve("run-" + i)), "task[" + i + "] must run exactly once"));
            assertFalse(c.stderr().contains("task[") && c.stderr().matches("(?s).*task\\[\\d+] exited with code (?!0\\b).*"),
                    "every task exited 0:\n" + c.stderr());
            assertEquals(100, c.stderr().lines().filter(l -> l.matches(".*task\\[\\d+] exited with code 0")).count());
        }
    }
}
