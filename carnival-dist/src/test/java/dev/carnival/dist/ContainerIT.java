package dev.carnival.dist;

import static dev.carnival.dist.Podman.CARNIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carnival.dist.ImageHarness.Result;
import dev.carnival.dist.Podman.Container;
import dev.carnival.dist.Podman.Proc;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Carnival as PID 1 of a real container runtime: podman (with runc) running the image
 * carnival-dist/Dockerfile describes, on a root file system of local files ({@link Podman}).
 * Skipped only where podman cannot run at all, and never when {@code CI=true}.
 */
class ContainerIT {
    /** Two single-process replicas to kill, and a shell whose child must go with it on stop. */
    private static final String MAIN = """
            [[service]]
            name = "web"
            command = "sleep"
            args = ["3600"]
            replicas = 2
            restart = "always"
            restart-delay-ms = 100

            [[service]]
            name = "ticker"
            command = "sh"
            args = ["-c", "while :; do sleep 3600; done"]
            """;

    /** The gate blocks on a FIFO without a child of its own, until the test writes to it. */
    private static final String CRITICAL = """
            [[init]]
            command = "mkfifo"
            args = ["/tmp/gate"]

            [[service]]
            name = "worker"
            command = "sleep"
            args = ["3600"]

            [[service]]
            name = "gate"
            command = "sh"
            args = ["-c", "read x < /tmp/gate; exit 7"]
            restart = "no"
            critical = true
            """;

    /** SIG_IGN is inherited across exec, so the sleep ignores SIGTERM too. */
    private static final String STUBBORN = """
            [global]
            shutdown-timeout-ms = 60000

            [[service]]
            name = "stubborn"
            command = "sh"
            args = ["-c", "trap '' TERM; while :; do sleep 3600; done"]
            stop-timeout-ms = 2000
            """;

    private static final String JAVA = "/opt/carnival/bin/java";
    /** What MAIN runs: the supervisor as PID 1 (matched by its program), then the rest's command lines. */
    private static final List<String> MAIN_PROCESSES =
            List.of(JAVA, "sleep 3600", "sleep 3600", "sh -c while :; do sleep 3600; done", "sleep 3600");

    @TempDir
    static Path tmp;

    private static Podman podman;

    @BeforeAll
    static void buildImage() throws Exception {
        Optional<String> unavailable = Podman.unavailable(tmp);
        if (unavailable.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true and podman cannot run (.ci/run installs podman runc busybox-static): " + unavailable.get());
            }
            System.err.println("ContainerIT skipped: podman cannot run here: " + unavailable.get());
            assumeTrue(false, unavailable.get());
        }
        podman = Podman.build(tmp, Map.of("main.toml", MAIN, "critical.toml", CRITICAL, "stubborn.toml", STUBBORN));
    }

    @AfterAll
    static void removeImage() throws Exception {
        if (podman != null) {
            podman.close();
        }
    }

    @Test
    void servicesStartStatusReachesTheSocketAndStopEndsWithZero() throws Exception {
        try (Container c = podman.start(tmp, "main.toml")) {
            List<Proc> procs = awaitProcesses(c, MAIN_PROCESSES);
            Result status = c.exec(CARNIVAL, "status");
            assertEquals(0, status.exit(), status::toString);
            assertEquals(3, status.out().lines().filter(l -> l.contains(" running ")).count(), status::toString);

            stopGracefully(c, procs);
        }
    }

    @Test
    void aServiceProcessKilledWithSigkillIsRestarted() throws Exception {
        try (Container c = podman.start(tmp, "main.toml")) {
            awaitProcesses(c, MAIN_PROCESSES);
            long before = pidOf(c, "web", 0);
            Result kill = c.exec("kill", "-9", Long.toString(before));
            assertEquals(0, kill.exit(), kill::toString);

            AtomicReference<String> last = new AtomicReference<>();
            Await.until(() -> "web[0] to run again after the kill; last status: " + last.get(), () -> {
                String json = statusJson(c);
                last.set(json);
                Matcher m = replica("web", 0).matcher(json);
                return m.find() && m.group(1).equals("running") && Long.parseLong(m.group(2)) != before
                        && m.group(3).equals("1");
            });
            // The killed process was reaped: no zombie, nothing extra.
            List<Proc> procs = awaitProcesses(c, MAIN_PROCESSES);
            assertTrue(procs.stream().noneMatch(p -> p.pid() == before), procs::toString);
            stopGracefully(c, procs);
        }
    }

    @Test
    void aCriticalFailureGivesTheContainerItsExitCode() throws Exception {
        try (Container c = podman.start(tmp, "critical.toml")) {
            List<Proc> procs = awaitProcesses(c, List.of(JAVA, "sleep 3600", "sh -c read x < /tmp/gate; exit 7"));
            Map<Long, Optional<Instant>> hostProcesses = hostProcesses(procs);
            Result open = c.exec("sh", "-c", "echo go > /tmp/gate");
            assertEquals(0, open.exit(), open::toString);

            Result run = c.await();
            assertEquals(7, run.exit(), run::toString);
            assertEquals(7, c.exitCode());
            assertTrue(run.both().contains("The Carnival is over (exit code 7)"), run::toString);
            assertGone(hostProcesses);
        }
    }

    @Test
    void stopWithAServiceIgnoringSigtermEndsByCarnivalsOwnStopTimeout() throws Exception {
        try (Container c = podman.start(tmp, "stubborn.toml")) {
            List<Proc> procs = awaitProcesses(c, List.of(JAVA, "sh -c trap '' TERM; while :; do sleep 3600; done", "sleep 3600"));
            // podman's SIGKILL would come 120 s after its SIGTERM and make the exit code 137:
            // exit 0 within the deadline means Carnival's 2 s stop-timeout-ms ended the service.
            stopGracefully(c, procs);
            assertTrue(c.log().contains("stubborn[0] did not stop within 2000ms after SIGTERM, sending SIGKILL"), c::log);
        }
    }

    /** podman stop, then: exit 0 (podman's own SIGKILL would make it 137), and every process gone. */
    private static void stopGracefully(Container c, List<Proc> procs) throws Exception {
        Map<Long, Optional<Instant>> hostProcesses = hostProcesses(procs);
        Result stop = c.podman("stop", "--time", "120", c.name);
        assertEquals(0, stop.exit(), stop::toString);
        Result run = c.await();
        assertEquals(0, run.exit(), run::toString);
        assertEquals(0, c.exitCode());
        assertTrue(run.both().contains("Shutting down services (") && run.both().contains("The Carnival is over (exit code 0)"),
                run::toString);
        assertGone(hostProcesses);
    }

    /**
     * Waits until the container's processes are exactly {@code expected} (PID 1 first, matched by
     * its command; the others as a multiset of command lines), all children of the supervisor's
     * tree and none a zombie.
     */
    private static List<Proc> awaitProcesses(Container c, List<String> expected) {
        AtomicReference<List<Proc>> last = new AtomicReference<>(List.of());
        Await.until(() -> "processes " + expected + "; last seen: " + last.get() + "\n" + c.log(), () -> {
            Optional<List<Proc>> procs;
            try {
                procs = c.processes();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            procs.ifPresent(last::set);
            return procs.isPresent() && matches(procs.get(), expected);
        });
        return last.get();
    }

    private static boolean matches(List<Proc> procs, List<String> expected) {
        if (procs.size() != expected.size() || procs.stream().anyMatch(p -> p.state().startsWith("Z"))) {
            return false;
        }
        Optional<Proc> pid1 = procs.stream().filter(p -> p.pid() == 1).findFirst();
        if (pid1.isEmpty() || !pid1.get().args().startsWith(expected.getFirst() + " ")) {
            return false;
        }
        List<String> rest = new ArrayList<>(expected.subList(1, expected.size()));
        Map<Long, Proc> byPid = new HashMap<>();
        procs.forEach(p -> byPid.put(p.pid(), p));
        for (Proc p : procs) {
            if (p.pid() != 1 && (!rest.remove(p.args()) || !descendsFromPid1(p, byPid))) {
                return false;
            }
        }
        return rest.isEmpty();
    }

    private static boolean descendsFromPid1(Proc p, Map<Long, Proc> byPid) {
        for (Proc at = p; at != null; at = byPid.get(at.ppid())) {
            if (at.ppid() == 1) {
                return true;
            }
        }
        return false;
    }

    /** The host's view of the container's processes: pid and start time, to tell a reused pid apart. */
    private static Map<Long, Optional<Instant>> hostProcesses(List<Proc> procs) {
        Map<Long, Optional<Instant>> started = new HashMap<>();
        for (Proc p : procs) {
            started.put(p.hostPid(), ProcessHandle.of(p.hostPid()).flatMap(h -> h.info().startInstant()));
        }
        return started;
    }

    private static void assertGone(Map<Long, Optional<Instant>> hostProcesses) {
        hostProcesses.forEach((pid, start) -> {
            Optional<ProcessHandle> now = ProcessHandle.of(pid).filter(h -> h.isAlive() && h.info().startInstant().equals(start));
            assertTrue(now.isEmpty(), () -> "host process " + pid + " of the container outlived it: " + now.get().info());
        });
    }

    private static String statusJson(Container c) {
        try {
            return c.exec(CARNIVAL, "status", "--json").out();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A running replica's state (group 1), pid (group 2) and restarts (group 3) in {@code status --json}. */
    private static Pattern replica(String service, int index) {
        return Pattern.compile("\"service\":\"" + service + "\",\"replica\":" + index
                + ",\"state\":\"(\\w+)\",\"pid\":(\\d+),\"ready\":\\w+,\"restarts\":(\\d+)");
    }

    private static long pidOf(Container c, String service, int index) {
        String json = statusJson(c);
        Matcher m = replica(service, index).matcher(json);
        assertTrue(m.find(), json);
        assertEquals("running", m.group(1), json);
        long pid = Long.parseLong(m.group(2));
        assertNotEquals(1, pid);
        return pid;
    }
}
