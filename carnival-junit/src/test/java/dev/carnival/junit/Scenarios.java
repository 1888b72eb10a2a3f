package dev.carnival.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Test classes that {@link CarnivalExtensionTest} runs through the JUnit Platform test kit and
 * asserts on. Not run on their own: surefire skips nested classes.
 */
final class Scenarios {
    /** Where the scenarios' processes leave marker files and pids. */
    static final Path DIR = tempDir();
    /** Every pid a scenario's test saw, and its start time, to look for in /proc afterwards. */
    static final Map<Long, Long> SEEN = new ConcurrentHashMap<>();
    static final Path OUTPUT = Path.of("target", "carnival-scenarios");

    private Scenarios() {}

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("carnival-junit");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProbeSpec probe(String... argv) {
        return new ProbeSpec("exec", List.of(argv), Map.of(), Duration.ofMillis(50), Duration.ofSeconds(5),
                Duration.ZERO, 1, 3);
    }

    /** A shell service; {@code $DIR} is {@link #DIR}. */
    static ServiceConfig.Builder sh(String name, String script) {
        return ServiceConfig.builder(name, "sh").args("-c", script).env(Map.of("DIR", DIR.toString()))
                .stopTimeout(Duration.ofSeconds(5));
    }

    static void remember(Supervisor supervisor) {
        for (ReplicaStatus r : supervisor.status().replicas()) {
            r.pid().ifPresent(pid -> SEEN.put(pid, Procs.startTicks(pid)));
        }
    }

    /** Ready only after a delay; its test checks it was ready already, gets the supervisor, restarts it. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static final class Ready {
        static final Path UP = DIR.resolve("ready-up");

        @RegisterExtension
        static final CarnivalExtension CARNIVAL = CarnivalExtension.of(CarnivalConfig.of(
                        sh("slow", "echo slow starting; sleep 0.4; touch \"$DIR/ready-up\"; echo slow up; exec sleep 300")
                                .readiness(probe("test", "-f", UP.toString())).build(),
                        sh("helper", "sleep 300 & echo $! > \"$DIR/helper-child.tmp\"; "
                                + "mv \"$DIR/helper-child.tmp\" \"$DIR/helper-child\"; exec sleep 300").build()))
                .outputDirectory(OUTPUT);

        static boolean readyInBeforeAll;

        @BeforeAll
        static void before(Supervisor supervisor) {
            readyInBeforeAll = Files.exists(UP) && supervisor.status().replicas().stream()
                    .allMatch(r -> r.state() == ReplicaState.RUNNING && r.ready());
        }

        @Test
        @Order(1)
        void everyServiceIsRunningAndReadyBeforeTheFirstTest(Supervisor supervisor) throws IOException {
            assertTrue(readyInBeforeAll, "ready when @BeforeAll ran");
            assertTrue(Files.exists(UP));
            remember(supervisor);
            Await.until("helper's child pid", () -> Files.exists(DIR.resolve("helper-child")));
            long child = Long.parseLong(Files.readString(DIR.resolve("helper-child")).strip());
            SEEN.put(child, Procs.startTicks(child));
        }

        @Test
        @Order(2)
        void outputGoesToAFilePerProcess() {
            Path file = OUTPUT.resolve(Ready.class.getName()).resolve("service.slow.0.log");
            Await.until("slow's output in " + file, () -> read(file).contains("slow starting\nslow up\n"));
        }

        @Test
        @Order(3)
        void aTestRestartsAService(Supervisor supervisor) throws Exception {
            long before = pid(supervisor, "slow");
            supervisor.restart("slow").get(60, TimeUnit.SECONDS);
            Await.until("slow running and ready again", () -> {
                ReplicaStatus r = status(supervisor, "slow");
                return r.state() == ReplicaState.RUNNING && r.ready() && r.pid().isPresent();
            });
            assertNotEquals(before, pid(supervisor, "slow"));
            assertEquals(1, status(supervisor, "slow").restartCount());
            remember(supervisor);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    static ReplicaStatus status(Supervisor supervisor, String service) {
        return supervisor.status().replicas().stream().filter(r -> r.replica().service().equals(service))
                .findFirst().orElseThrow();
    }

    static long pid(Supervisor supervisor, String service) {
        return status(supervisor, service).pid().orElseThrow();
    }

    /** A class whose start fails: its test must never run. */
    abstract static class MustNotRun {
        @Test
        void neverRuns() {
            throw new AssertionError("ran although the class's services did not start");
        }
    }

    /** A service whose probe never passes: the class fails with its output; no test runs. */
    static final class NeverReady extends MustNotRun {
        @RegisterExtension
        static final CarnivalExtension CARNIVAL = CarnivalExtension.of(CarnivalConfig.of(
                        sh("fine", "exec sleep 300").build(),
                        sh("never-ready", "echo $$ > \"$DIR/never-ready.pid\"; echo never-ready says hello; "
                                + "echo never-ready complains >&2; exec sleep 300")
                                .readiness(probe("false")).build()))
                .readyTimeout(Duration.ofSeconds(2))
                .outputDirectory(OUTPUT);
    }

    /** A service that exits before it is ready: the class fails at once, without waiting out the timeout. */
    static final class Crashes extends MustNotRun {
        @RegisterExtension
        static final CarnivalExtension CARNIVAL = CarnivalExtension.of(CarnivalConfig.of(
                        sh("crasher", "echo crasher cannot find its config >&2; exit 3")
                                .readiness(probe("false")).build()))
                .outputDirectory(OUTPUT);
    }

    /**
     * A service that puts a child in a process group of its own, which a stop of the service's
     * group does not reach: the class fails naming it, and the child is killed.
     */
    static final class LeavesAChild {
        @RegisterExtension
        static final CarnivalExtension CARNIVAL = CarnivalExtension.of(CarnivalConfig.of(
                        sh("leaky", "exec bash -c 'set -m; sleep 312 & echo $! > \"$DIR/leaky.tmp\"; "
                                + "mv \"$DIR/leaky.tmp\" \"$DIR/leaky-child\"; wait'").build()))
                .outputDirectory(OUTPUT);

        @Test
        void childStarted() {
            Await.until("leaky's child", () -> Files.exists(DIR.resolve("leaky-child")));
        }
    }

    /** The tests of both ways to name a config file. */
    abstract static class MarkerTests {
        @Test
        void markerIsReady(Supervisor supervisor) {
            assertTrue(status(supervisor, "marker").ready());
            assertTrue(Files.exists(Path.of("target/carnival-marker")));
            remember(supervisor);
        }
    }

    /** Config from a file, through the annotation. */
    @CarnivalTest("src/test/resources/stack.toml")
    static final class Annotated extends MarkerTests {}

    /** Config from a file, through {@link CarnivalExtension#of(Path)}. */
    static final class FromFile extends MarkerTests {
        @RegisterExtension
        static final CarnivalExtension CARNIVAL = CarnivalExtension.of(Path.of("src/test/resources/stack.toml"))
                .outputDirectory(OUTPUT);
    }

    /** A config file with a mistake. */
    @CarnivalTest("src/test/resources/broken.toml")
    static final class BrokenFile extends MustNotRun {}

    /** Both parallel classes' tests wait here for each other: they can only pass together. */
    static final CyclicBarrier BOTH = new CyclicBarrier(2);
    static final Set<String> PARALLEL_SERVICES = ConcurrentHashMap.newKeySet();

    static void meetTheOther(Supervisor supervisor, String own) throws Exception {
        List<String> services = supervisor.status().replicas().stream().map(r -> r.replica().service()).toList();
        assertEquals(List.of(own), services, "a supervisor of its own");
        assertTrue(status(supervisor, own).ready());
        BOTH.await(60, TimeUnit.SECONDS);
        PARALLEL_SERVICES.add(own);
        remember(supervisor);
    }

    /** One of two classes run in parallel, each with a service named after it. */
    abstract static class Parallel {
        static CarnivalExtension of(String service) {
            return CarnivalExtension.of(CarnivalConfig.of(sh(service, "exec sleep 300").readiness(probe("true")).build()))
                    .outputDirectory(OUTPUT);
        }

        @Test
        void meetsTheOther(Supervisor supervisor) throws Exception {
            String own = getClass().getSimpleName().substring("Parallel".length()).toLowerCase(Locale.ROOT);
            meetTheOther(supervisor, own);
        }
    }

    static final class ParallelA extends Parallel {
        @RegisterExtension
        static final CarnivalExtension CARNIVAL = of("a");
    }

    static final class ParallelB extends Parallel {
        @RegisterExtension
        static final CarnivalExtension CARNIVAL = of("b");
    }
}
