package dev.carnival.dist;

import static dev.carnival.dist.CarnivalProcess.withConfig;
import static dev.carnival.dist.ImageHarness.assumePidNamespaces;
import static dev.carnival.dist.ImageHarness.jdkProcessControl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing a service started outlives Carnival: daemons it left behind are stopped before Carnival exits. */
@Tag(ImageHarness.JDK_FALLBACK)
class LeftoversIT {
    @TempDir
    Path dir;

    /** A sleep duration no other process on the machine uses, to find this test's daemons by. */
    private final String marker = "1000." + ThreadLocalRandom.current().nextInt(100_000, 999_999);

    /** Live processes (not zombies) whose command line is {@code sleep <marker>}. */
    private long daemons() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> cmdline(p).equals("sleep\0" + marker + "\0"))
                    .filter(p -> Signals.alive(Long.parseLong(p.getFileName().toString())))
                    .count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String cmdline(Path proc) {
        try {
            return Files.readString(proc.resolve("cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    /** A service that leaves {@code n} daemons in its process group and {@code n} in sessions of their own, then exits 0. */
    private String daemonMaker(int n) {
        return """
                [[service]]
                name = "daemons"
                command = "sh"
                args = ["-c", "i=0; while [ $i -lt %d ]; do sleep %s & setsid sleep %s & i=$((i+1)); done; exit 0"]
                restart = "no"
                """.formatted(n, marker, marker);
    }

    @Test
    void daemonsLeftByAServiceAreStoppedAtShutdown() {
        assumeTrue(!jdkProcessControl(), "the JDK fallback cannot become child subreaper: the daemons leave its tree");
        String toml = "[global]\nshutdown-timeout-ms = 3000\n" + daemonMaker(100) + """
                [[service]]
                name = "stay"
                command = "sleep"
                args = ["1000"]
                """;
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, toml)) {
            c.awaitLog("daemons[0] not restarting");
            Await.until(() -> "200 daemons running, " + daemons() + " so far", () -> daemons() == 200);
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(0, daemons(), "no daemon outlives carnival:\n" + c.stderr());
            assertTrue(c.stderr().contains("Stopped 200 leftover process(es)"), c.stderr());
        }
    }

    @Test
    void daemonsLeftByTheLastServiceAreStoppedWhenCarnivalFinishesByItself() {
        assumeTrue(!jdkProcessControl(), "the JDK fallback cannot become child subreaper: the daemons leave its tree");
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, daemonMaker(10))) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(0, daemons(), "no daemon outlives carnival:\n" + c.stderr());
            assertTrue(c.stderr().contains("Stopped 20 leftover process(es)"), c.stderr());
        }
    }

    /**
     * As PID 1, leftovers get SIGTERM and time to use it, rather than the kernel's SIGKILL when the
     * namespace ends. (Each daemon loops on a short sleep rather than waiting for a long one: when
     * the sleep dies of its SIGTERM first, {@code wait} would return and the shell exit before
     * its own SIGTERM arrives, without running the trap.)
     */
    @Test
    void asPidOneLeftoversAreStoppedGracefully() throws Exception {
        assumePidNamespaces();
        String toml = """
                [global]
                shutdown-timeout-ms = 5000
                [[service]]
                name = "daemons"
                command = "sh"
                args = ["-c", "i=0; while [ $i -lt 20 ]; do sh -c 'trap \\"echo term >> terms; exit 0\\" TERM; echo up >> up; while :; do sleep 0.1; done' & i=$((i+1)); done; exit 0"]
                restart = "no"
                [[service]]
                name = "stay"
                command = "sleep"
                args = ["1000"]
                """;
        try (CarnivalProcess c = CarnivalProcess.startWrapped(PidOneIT.AS_PID_ONE, dir, Map.of(), withConfig(dir, toml))) {
            long carnival = PidOneIT.supervisorPid(c);
            Await.until("20 daemons up", () -> Configs.lines(dir.resolve("up")) == 20);
            Signals.send("TERM", carnival);
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(20, Configs.lines(dir.resolve("terms")), "each daemon got SIGTERM:\n" + c.stderr());
            assertTrue(c.stderr().matches("(?s).*Stopped \\d+ leftover process\\(es\\).*"), c.stderr());
        }
    }
}
