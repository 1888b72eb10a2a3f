package dev.carnival.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs the {@link Scenarios} through the JUnit Platform and checks what they did, and left, in /proc. */
class CarnivalExtensionTest {
    /**
     * The surefire execution {@code jdk-fallback} runs this class again without native access, so
     * that the runtime falls back to the JDK Process API.
     */
    static final boolean JDK_FALLBACK = "jdk".equals(System.getProperty("carnival.junit.expect"));

    static EngineExecutionResults run(Class<?>... classes) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter");
        for (Class<?> c : classes) {
            kit.selectors(selectClass(c));
        }
        return kit.execute();
    }

    /** The one failure of a test class (its before-all or after-all), with its message. */
    static Throwable classFailure(EngineExecutionResults results) {
        List<Event> failed = results.containerEvents().failed().list();
        assertEquals(1, failed.size(), () -> "one failed class, got " + failed);
        return failed.getFirst().getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /** Every test of the run passed, {@code tests} of them; otherwise says why, with the class's failure. */
    static void assertPassed(EngineExecutionResults results, int tests) {
        List<String> failures = results.allEvents().failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getRequiredPayload(TestExecutionResult.class)
                        .getThrowable().map(Throwable::toString).orElse("?"))
                .toList();
        assertEquals(List.of(), failures);
        results.testEvents().assertStatistics(s -> s.started(tests).succeeded(tests));
    }

    static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), () -> "'" + part + "' missing from:\n" + text);
        }
    }

    static long pidIn(String file) throws IOException {
        return Long.parseLong(Files.readString(Scenarios.DIR.resolve(file)).strip());
    }

    /** Every process a scenario's test saw is gone once the class is done: teardown left nothing. */
    @AfterEach
    void nothingLeftRunning() {
        for (Map.Entry<Long, Long> seen : Scenarios.SEEN.entrySet()) {
            assertFalse(Procs.alive(seen.getKey(), seen.getValue()), "pid " + seen.getKey() + " still alive");
        }
        Scenarios.SEEN.clear();
    }

    @Test
    void startsAndWaitsForReadinessBeforeTheFirstTestInjectsTheSupervisorAndATestRestarts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertPassed(run(Scenarios.Ready.class), 3);
        } finally {
            System.setOut(original);
        }
        assertContains(out.toString(StandardCharsets.UTF_8), "carnival: " + Scenarios.Ready.class.getName()
                + ": 2 services running and ready in ", JDK_FALLBACK ? " ms on JDK Process API" : " ms on Linux native");
        // The helper's own child and slow's pids before and after the restart, all seen running.
        assertTrue(Scenarios.SEEN.size() >= 4, () -> "pids seen: " + Scenarios.SEEN);
    }

    @Test
    void aServiceThatNeverGetsReadyFailsTheClassWithItsOutputAndIsStopped() throws IOException {
        EngineExecutionResults results = run(Scenarios.NeverReady.class);
        results.testEvents().assertStatistics(s -> s.started(0));
        Throwable failure = classFailure(results);
        assertInstanceOf(AssertionError.class, failure);
        assertContains(failure.getMessage(),
                "not every service is running and ready after 2000 ms",
                "SERVICE", "READY", "never-ready  0", "fine         0",
                "--- never-ready[0] (", "service.never-ready.0.log): last 2 lines",
                "  | never-ready says hello", "  | never-ready complains");
        assertFalse(failure.getMessage().contains("--- fine[0]"), failure.getMessage());
        long pid = pidIn("never-ready.pid");
        assertTrue(Files.notExists(Path.of("/proc", Long.toString(pid))) || Procs.startTicks(pid) < 0
                || !Procs.alive(pid, Procs.startTicks(pid)), "never-ready's process is stopped");
    }

    @Test
    void aServiceThatStopsForGoodBeforeItIsReadyFailsTheClassAtOnce() {
        Throwable failure = classFailure(run(Scenarios.Crashes.class));
        assertContains(failure.getMessage(), "crasher[0] stopped for good (policy)",
                "exited with code 3", "  | crasher cannot find its config");
    }

    @Test
    void aProcessLeftAliveAfterTheStopFailsTheClassAndIsKilled() throws IOException {
        // Without sessions the JDK fallback cannot tell a service's stray descendants from the JVM's.
        assumeFalse(JDK_FALLBACK);
        EngineExecutionResults results = run(Scenarios.LeavesAChild.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        Throwable failure = classFailure(results);
        long child = pidIn("leaky-child");
        assertContains(failure.getMessage(), "1 process started for this class still alive", "pid " + child,
                "sleep 312");
        Await.until("the left child killed", () -> Procs.startTicks(child) < 0 || !Procs.alive(child, Procs.startTicks(child)));
    }

    @Test
    void aConfigFileThroughTheAnnotation() throws IOException {
        Files.deleteIfExists(Path.of("target/carnival-marker"));
        assertPassed(run(Scenarios.Annotated.class), 1);
        assertTrue(Files.readString(Path.of("target/carnival", Scenarios.Annotated.class.getName(), "service.marker.0.log"))
                .contains("marker starting"));
    }

    @Test
    void aConfigFileThroughOf() throws IOException {
        Files.deleteIfExists(Path.of("target/carnival-marker"));
        assertPassed(run(Scenarios.FromFile.class), 1);
    }

    @Test
    void aBrokenConfigFileFailsTheClassNamingTheFileAndTheKey() {
        Throwable failure = classFailure(run(Scenarios.BrokenFile.class));
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertContains(failure.getMessage(), "src/test/resources/broken.toml", "restat");
        assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
    }

    @Test
    void twoClassesInParallelEachWithASupervisorOfItsOwn() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Scenarios.ParallelA.class), selectClass(Scenarios.ParallelB.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .execute();
        assertPassed(results, 2);
        assertEquals(Set.of("a", "b"), Scenarios.PARALLEL_SERVICES);
    }
}
