package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's OOM killer takes a service, never Carnival: in a 64 MiB memory cgroup a service
 * that allocates without bound is killed again and again, each kill reported and followed by a
 * restart after its delay, while Carnival and an idle service live on. With CAP_SYS_RESOURCE
 * Carnival lowers its own {@code oom_score_adj}; without it (a container's root may lack it)
 * its services' default rises instead.
 */
class OomKillerIT {
    private static final long LIMIT = 64L << 20;
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    /** Run as root with CAP_SYS_RESOURCE, or without it (dropped from the bounding set before exec). */
    private static List<String> privilege(boolean capSysResource) {
        if (capSysResource) {
            return List.of();
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv")),
                "needs setpriv (util-linux) to drop CAP_SYS_RESOURCE");
        return List.of("setpriv", "--bounding-set=-sys_resource", "--inh-caps=-sys_resource");
    }

    private static boolean hasCapSysResource() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 24)) != 0;
            }
        }
        return false;
    }

    private static int oomScoreAdj(long pid) {
        return Integer.parseInt(Configs.read(Path.of("/proc/" + pid + "/oom_score_adj")).strip());
    }

    private static void awaitOomScoreAdj(long pid, int expected) {
        Await.until(() -> "oom_score_adj " + expected + " for pid " + pid + ", is " + oomScoreAdj(pid),
                () -> oomScoreAdj(pid) == expected);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @ParameterizedTest(name = "CAP_SYS_RESOURCE {0}")
    @ValueSource(booleans = {true, false})
    void aServiceThatAllocatesWithoutBoundIsKilledAgainAndAgainAndCarnivalLivesOn(boolean capSysResource)
            throws IOException {
        if (capSysResource) {
            assumeTrue(hasCapSysResource(), "needs CAP_SYS_RESOURCE to show Carnival lowering its own value");
        }
        List<String> privilege = privilege(capSysResource);
        MemoryCgroup.Result made = MemoryCgroup.create(LIMIT);
        if (made.cgroup() == null) {
            System.err.println("OomKillerIT skipped: no writable memory cgroup: " + made.whyNot());
            assumeTrue(false, "no writable memory cgroup (v1 memory or v2 memory.max): " + made.whyNot());
        }
        String toml = """
                [[service]]
                name = "hog"
                command = "tail"
                args = ["/dev/zero"]
                restart = "always"
                restart-delay-ms = 300
                [[service]]
                name = "idle"
                command = "sh"
                args = ["-c", "echo $$ > idle.pid; exec sleep 1000"]
                """;
        try (MemoryCgroup cgroup = made.cgroup()) {
            List<String> wrapper = new ArrayList<>(cgroup.wrapper());
            wrapper.addAll(privilege);
            try (CarnivalProcess c = CarnivalProcess.startWrapped(wrapper, dir, Map.of(),
                    CarnivalProcess.withConfig(dir, toml))) {
                long idle = Configs.awaitPid(dir.resolve("idle.pid"));
                Await.until(() -> KILLS + " OOM kills of the hog in " + cgroup.describe() + "; log:\n" + c.stderr(),
                        () -> count(c.stderr(), "hog\\[0\\] killed by SIGKILL") >= KILLS || !c.isAlive());
                assertTrue(c.isAlive(), "Carnival died; log:\n" + c.stderr());
                String log = c.stderr();
                assertTrue(count(log, "hog\\[0\\] restarting in 300ms") >= KILLS - 1, log);
                assertTrue(ProcessHandle.of(idle).map(ProcessHandle::isAlive).orElse(false), "idle was killed:\n" + log);
                assertEquals(1, count(log, "idle\\[0\\] started"), log);
                int own = oomScoreAdj(c.pid());
                assertEquals(capSysResource ? -999 : oomScoreAdj(ProcessHandle.current().pid()), own);
                assertEquals(Math.min(1000, own + 1000), oomScoreAdj(idle), "idle's default");
                c.signal("TERM");
                assertEquals(0, c.exitCode(), c.stderr());
            }
        }
    }

    @ParameterizedTest(name = "CAP_SYS_RESOURCE {0}")
    @ValueSource(booleans = {true, false})
    void oomScoreAdjSetsAServicesValueAndAValueBelowCarnivalsNeedsThePrivilege(boolean capSysResource)
            throws IOException {
        if (capSysResource) {
            assumeTrue(hasCapSysResource(), "needs CAP_SYS_RESOURCE");
        }
        List<String> privilege = privilege(capSysResource);
        int started = oomScoreAdj(ProcessHandle.current().pid());
        assumeTrue(started < 700, "the test JVM's own oom_score_adj is " + started);
        String toml = """
                [[service]]
                name = "plain"
                command = "sh"
                args = ["-c", "echo $$ > plain.pid; exec sleep 1000"]
                [[service]]
                name = "first"
                command = "sh"
                args = ["-c", "echo $$ > first.pid; exec sleep 1000"]
                oom-score-adj = 700
                [[service]]
                name = "kept"
                command = "sh"
                args = ["-c", "echo $$ > kept.pid; exec sleep 1000"]
                oom-score-adj = "-500"
                """;
        try (CarnivalProcess c = CarnivalProcess.startWrapped(privilege, dir, Map.of(),
                CarnivalProcess.withConfig(dir, toml))) {
            long plain = Configs.awaitPid(dir.resolve("plain.pid"));
            long first = Configs.awaitPid(dir.resolve("first.pid"));
            long kept = Configs.awaitPid(dir.resolve("kept.pid"));
            int own = oomScoreAdj(c.pid());
            assertEquals(capSysResource ? Math.min(started, -999) : started, own);
            // Carnival writes a child's value just after the spawn: the child may have written its
            // pid file before that, so each value is waited for.
            awaitOomScoreAdj(plain, Math.max(started, Math.min(1000, own + 1000)));
            awaitOomScoreAdj(first, 700);
            if (capSysResource) {
                awaitOomScoreAdj(kept, -500);
            } else {
                c.awaitLog("cannot set oom-score-adj -500 for sh: permission denied (lowering it below Carnival's own"
                        + " needs CAP_SYS_RESOURCE); it runs with " + own);
                assertEquals(own, oomScoreAdj(kept));
            }
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void anOomScoreAdjOutOfTheKernelsRangeIsAConfigError() {
        CarnivalProcess c = CarnivalProcess.runConfig(dir, Configs.ONE_TRUE_SERVICE + "oom-score-adj = 1001\n", "check");
        assertEquals(2, c.exitCode());
        assertEquals("carnival: " + CarnivalProcess.CONFIG + ":4:1: 'oom-score-adj' in [[service]] 'a' must be a"
                + " whole number from -1000 to 1000, got 1001\n", c.stderr());
    }
}
