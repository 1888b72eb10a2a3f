package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.Carnival;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.ReloadTriggers;
import dev.carnival.api.model.LogFormat;
import dev.carnival.api.model.Monitoring;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.OutputLine;
import dev.carnival.api.output.StdStream;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeOptions;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.probe.ProbeResult;
import dev.carnival.api.model.ServiceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An embedder's output listener and probe provider, on real processes through the public API. */
class EmbeddedOutputTest {

    @Test
    void aListenerReceivesTheCapturedLinesOnItsOwnThread() throws Exception {
        List<OutputLine> lines = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        CarnivalConfig config = CarnivalConfig.of(
                ServiceConfig.builder("web", "sh").args("-c", "echo hello; printf 'oops\\377\\n' >&2").replicas(2)
                        .output(OutputMode.RAW).build(),
                ServiceConfig.builder("quiet", "echo").args("not captured").build());
        try (Supervisor s = Carnival.supervisor(config).outputListener(line -> {
            lines.add(line);
            threads.add(Thread.currentThread().getName());
        }).build()) {
            s.start();
            assertEquals(0, s.await());
        }
        // close() gave the listener its lines before it returned.
        assertEquals(4, lines.size(), lines.toString());
        for (int i = 0; i < 2; i++) {
            ReplicaId id = new ReplicaId("web", i);
            assertTrue(lines.stream().anyMatch(l -> l.replica().equals(id) && l.stream() == StdStream.STDOUT
                    && l.text().equals("hello")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.replica().equals(id) && l.stream() == StdStream.STDERR
                    && List.of((byte) 'o', (byte) 'o', (byte) 'p', (byte) 's', (byte) 0xff).equals(bytes(l))), lines.toString());
        }
        assertTrue(threads.stream().allMatch(t -> t.equals("carnival-output-listener")), threads.toString());
    }

    private static List<Byte> bytes(OutputLine line) {
        byte[] b = line.bytes();
        Byte[] boxed = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            boxed[i] = b[i];
        }
        return List.of(boxed);
    }

    @Test
    void theBuilderTakesProbeProvidersAndALogLineOrdersADependent() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        ProbeProvider always = new ProbeProvider() {
            @Override
            public String name() {
                return "always";
            }

            @Override
            public Probe create(ProbeOptions options) {
                return context -> {
                    checks.incrementAndGet();
                    return CompletableFuture.completedFuture(ProbeResult.success("fine"));
                };
            }
        };
        List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
        CarnivalConfig config = new CarnivalConfig(new GlobalConfig(Duration.ofSeconds(10), false, Map.of(),
                Optional.empty(), Optional.empty(), new Monitoring(LogFormat.TEXT, 10, Duration.ofMillis(100)),
                GlobalConfig.DEFAULT.drain(), ReloadTriggers.NONE), List.of(),
                List.of(ServiceConfig.builder("db", "sh").args("-c", "echo warming; sleep 0.3; echo up; exec sleep 30")
                                .output(OutputMode.PREFIX).readiness(ProbeSpec.logLine("^up$")).build(),
                        ServiceConfig.builder("probed", "sleep").args("30").readiness(ProbeSpec.of("always", List.of())).build(),
                        ServiceConfig.builder("web", "true").dependsOn(Map.of("db", dev.carnival.api.model.Condition.READY,
                                "probed", dev.carnival.api.model.Condition.READY)).build()));
        try (Supervisor s = Carnival.supervisor(config).probe(always).listener(dev.carnival.api.event.LifecycleListener.of(events::add))
                .build()) {
            s.start();
            Await.until(() -> "web started; " + events, () -> events.stream().anyMatch(e ->
                    e instanceof LifecycleEvent.ProcessStarted p && p.replica().service().equals("web")));
            assertTrue(checks.get() > 0, "the embedder's probe ran");
            int ready = indexOf(events, e -> e instanceof LifecycleEvent.ReadinessChanged r
                    && r.replica().service().equals("db") && r.ready());
            int webStarted = indexOf(events, e -> e instanceof LifecycleEvent.ProcessStarted p
                    && p.replica().service().equals("web"));
            assertTrue(ready >= 0 && ready < webStarted, events.toString());
            Await.until(() -> "a resource sample; " + s.status(), () -> s.status().replicas().stream()
                    .filter(r -> r.replica().service().equals("probed")).allMatch(r -> r.resources().isPresent()));
            ReplicaStatus probed = s.status().replicas().stream().filter(r -> r.replica().service().equals("probed"))
                    .findFirst().orElseThrow();
            assertTrue(probed.resources().orElseThrow().memoryBytes() > 0, probed.toString());
        }
    }

    private static int indexOf(List<LifecycleEvent> events, java.util.function.Predicate<LifecycleEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aServiceAReloadAddsReachesTheListener() throws Exception {
        List<OutputLine> lines = new CopyOnWriteArrayList<>();
        ServiceConfig web = ServiceConfig.builder("web", "sleep").args("30").build();
        try (Supervisor s = Carnival.supervisor(CarnivalConfig.of(web)).outputListener(lines::add).build()) {
            s.start();
            Await.until(() -> "web running; " + s.status(), () -> s.status().replicas().stream()
                    .allMatch(r -> r.pid().isPresent()));
            s.reload(CarnivalConfig.of(web, ServiceConfig.builder("late", "sh").args("-c", "echo late; exec sleep 30")
                    .output(OutputMode.RAW).build())).get();
            Await.until(() -> "the added service's line; " + lines, () -> lines.stream()
                    .anyMatch(l -> l.replica().equals(new ReplicaId("late", 0)) && l.text().equals("late")));
        }
    }
}
