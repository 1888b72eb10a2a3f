package example.backoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.InitFailed;
import dev.carnival.api.event.LifecycleEvent.InitFinished;
import dev.carnival.api.event.LifecycleEvent.InitStarted;
import dev.carnival.api.event.LifecycleEvent.ProcessExited;
import dev.carnival.api.event.LifecycleEvent.ProcessStarted;
import dev.carnival.api.event.LifecycleEvent.ReplicaStopped;
import dev.carnival.api.event.LifecycleEvent.RestartScheduled;
import dev.carnival.api.event.LifecycleEvent.ShutdownRequested;
import dev.carnival.api.event.LifecycleEvent.SpawnFailed;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.event.LifecycleEvent.SupervisorStopped;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesListenerTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final ReplicaId WEB0 = new ReplicaId("web", 0);

    @TempDir
    Path dir;
    private int files;

    /** Writes the events to a new file and reads it back. */
    private List<String> write(LifecycleEvent... events) throws IOException {
        Path file = dir.resolve("events-" + ++files + ".jsonl");
        JsonLinesListener listener = new JsonLinesListener(file);
        for (LifecycleEvent e : events) {
            listener.onEvent(e);
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private String line(LifecycleEvent event) throws IOException {
        List<String> lines = write(event);
        assertEquals(1, lines.size(), lines.toString());
        return lines.getFirst();
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(LifecycleListener.class).stream()
                .anyMatch(p -> p.type() == JsonLinesListener.class));
    }

    @Test
    void initEvents() throws IOException {
        List<String> argv = List.of("mkdir", "-p", "/data");
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"init-started\",\"index\":1,"
                + "\"command\":[\"mkdir\",\"-p\",\"/data\"]}", line(new InitStarted(AT, 1, argv)));
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"init-finished\",\"index\":2,"
                + "\"command\":[\"mkdir\",\"-p\",\"/data\"],\"tookMs\":1500}",
                line(new InitFinished(AT, 2, argv, Duration.ofMillis(1500))));
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"init-failed\",\"index\":3,"
                + "\"command\":[\"mkdir\",\"-p\",\"/data\"],\"reason\":\"exited with code 1\"}",
                line(new InitFailed(AT, 3, argv, "exited with code 1")));
    }

    @Test
    void processEvents() throws IOException {
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"process-started\",\"replica\":\"web[0]\","
                + "\"pid\":123,\"restartCount\":0}", line(new ProcessStarted(AT, WEB0, 123, 0)));
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"spawn-failed\",\"replica\":\"web[0]\","
                + "\"reason\":\"no such file: /bin/nope\"}", line(new SpawnFailed(AT, WEB0, "no such file: /bin/nope")));
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"process-exited\",\"replica\":\"web[0]\","
                + "\"pid\":123,\"status\":\"exited with code 1\",\"exitCode\":1,\"uptimeMs\":12}",
                line(new ProcessExited(AT, WEB0, 123, ExitStatus.exited(1), Duration.ofMillis(12))));
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"process-exited\",\"replica\":\"web[0]\","
                + "\"pid\":123,\"status\":\"killed by SIGKILL\",\"exitCode\":137,\"signal\":\"SIGKILL\",\"uptimeMs\":2000}",
                line(new ProcessExited(AT, WEB0, 123, ExitStatus.killed(9), Duration.ofSeconds(2))));
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"restart-scheduled\",\"replica\":\"web[0]\","
                + "\"restartCount\":3,\"delayMs\":400}", line(new RestartScheduled(AT, WEB0, 3, Duration.ofMillis(400))));
    }

    @Test
    void replicaStoppedNamesEveryReason() throws IOException {
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"replica-stopped\",\"replica\":\"web[0]\","
                + "\"reason\":\"restart-limit\",\"detail\":\"5 runs\"}",
                line(new ReplicaStopped(AT, WEB0, StopReason.RESTART_LIMIT, "5 runs")));
        List<String> reasons = new ArrayList<>();
        for (StopReason r : StopReason.values()) {
            reasons.add(JsonLinesListener.toJson(new ReplicaStopped(AT, WEB0, r, "")).replaceAll(".*\"reason\":\"([^\"]*)\".*", "$1"));
        }
        assertEquals(List.of("policy", "restart-limit", "shutdown", "policy-error", "operator", "dependency",
                "internal-error"), reasons);
    }

    @Test
    void supervisorEvents() throws IOException {
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"shutdown-requested\",\"cause\":\"signal SIGTERM\"}",
                line(new ShutdownRequested(AT, "signal SIGTERM")));
        assertEquals("{\"at\":\"2026-01-02T03:04:05.678Z\",\"event\":\"supervisor-stopped\",\"exitCode\":0}",
                line(new SupervisorStopped(AT, 0)));
    }

    @Test
    void stringsAreEscaped() {
        StringBuilder out = new StringBuilder();
        JsonObject.quote(out, "say \"hi\" \\ back\n\r\t\b\f\u0001\u001f\u007f é 😀 \u2028 \ud800 end\udc00");
        assertEquals("\"say \\\"hi\\\" \\\\ back\\n\\r\\t\\b\\f\\u0001\\u001f\u007f é 😀 \\u2028 \\ud800 end\\udc00\"",
                out.toString());
    }

    @Test
    void awkwardValuesStayOnOneLine() throws IOException {
        List<String> lines = write(new InitFailed(AT, 1, List.of("sh", "-c", "echo \"a\nb\""), "line one\nline two\r\n"),
                new ShutdownRequested(AT, "é\u2028😀"));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.getFirst().endsWith(",\"command\":[\"sh\",\"-c\",\"echo \\\"a\\nb\\\"\"],"
                + "\"reason\":\"line one\\nline two\\r\\n\"}"), lines.getFirst());
        // Non-ASCII text is written as UTF-8, not escaped.
        assertTrue(lines.get(1).endsWith("\"cause\":\"é\\u2028😀\"}"), lines.get(1));
    }

    @Test
    void appendsToWhatIsThereAndReopensAfterTheSupervisorStops() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"earlier\":true}\n");
        JsonLinesListener listener = new JsonLinesListener(file);
        listener.onEvent(new SupervisorStopped(AT, 0));
        listener.onEvent(new ShutdownRequested(AT, "embedded host"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("{\"earlier\":true}", lines.getFirst());
        assertTrue(lines.get(2).contains("\"event\":\"shutdown-requested\""), lines.get(2));
    }

    @Test
    void eachLineIsOnDiskAsSoonAsItIsWritten() throws IOException {
        Path file = dir.resolve("events.jsonl");
        JsonLinesListener listener = new JsonLinesListener(file);
        listener.onEvent(new ProcessStarted(AT, WEB0, 1, 0));
        assertEquals(1, Files.readAllLines(file).size());
        listener.onEvent(new ProcessStarted(AT, WEB0, 2, 1));
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void concurrentEventsNeverInterleave() throws Exception {
        Path file = dir.resolve("events.jsonl");
        JsonLinesListener listener = new JsonLinesListener(file);
        int threads = 8;
        int each = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ReplicaId id = new ReplicaId("web", t);
            started.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < each; i++) {
                    listener.onEvent(new SpawnFailed(AT, id, "x".repeat(500) + " attempt " + i));
                }
            }));
        }
        start.countDown();
        for (Thread t : started) {
            t.join();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(threads * each, lines.size());
        Set<String> distinct = new HashSet<>(lines);
        assertEquals(threads * each, distinct.size(), "every line whole and written once");
        assertTrue(lines.stream().allMatch(l -> l.startsWith("{\"at\":") && l.endsWith("\"}")));
    }

    @Test
    void writeFailuresPropagate() {
        // A directory cannot be opened for appending.
        JsonLinesListener listener = new JsonLinesListener(dir);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> listener.onEvent(new SupervisorStopped(AT, 0)));
        assertTrue(e.getMessage().startsWith("cannot append event to " + dir), e.getMessage());
    }

    @Test
    void theFileComesFromTheEnvironment() throws IOException {
        assertNull(JsonLinesListener.target(Map.of()));
        assertNull(JsonLinesListener.target(Map.of("CARNIVAL_EVENTS_FILE", "  ")));
        assertEquals(Path.of("/tmp/events.jsonl"), JsonLinesListener.target(Map.of("CARNIVAL_EVENTS_FILE", "/tmp/events.jsonl")));
        // Unset: events go nowhere and nothing is created.
        new JsonLinesListener(null).onEvent(new SupervisorStopped(AT, 0));
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent());
        }
    }

    @Test
    void kebabCasesEnumAndClassNames() {
        assertEquals("restart-limit", JsonLinesListener.kebab("RESTART_LIMIT"));
        assertEquals("replica-stopped", JsonLinesListener.kebab("ReplicaStopped"));
        assertEquals("health-check2-failed", JsonLinesListener.kebab("HealthCheck2Failed"));
    }
}
