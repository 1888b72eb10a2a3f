package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.Carnival;
import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.event.LifecycleEvent.OperatorRequest;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stop, start, restart and signal through the embedding API, on real processes. */
class OperatorOperationsTest {
    private final Recorder recorder = new Recorder();

    @TempDir
    Path dir;

    private static List<Long> pids(Supervisor s, String service) {
        return s.status().replicas().stream().filter(r -> r.replica().service().equals(service))
                .map(r -> r.pid().orElse(-1)).toList();
    }

    private static void awaitAll(Supervisor s, String service, ReplicaState state) {
        Await.until(service + " " + state + ": " + s.status(), () -> s.status().replicas().stream()
                .filter(r -> r.replica().service().equals(service)).allMatch(r -> r.state() == state));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void stopStartRestartAndSignal() throws Exception {
        CarnivalConfig config = CarnivalConfig.of(
                ServiceConfig.builder("web", "sleep").args("300").replicas(2).critical(true).build(),
                ServiceConfig.builder("trap", "sh").args("-c",
                        "trap 'echo HUP >> " + dir.resolve("hup") + "' HUP; touch " + dir.resolve("ready")
                                + "; while :; do sleep 0.05; done").build());
        try (Supervisor s = Carnival.supervisor(config).listener(recorder).build()) {
            s.start();
            awaitAll(s, "web", ReplicaState.RUNNING);
            List<Long> first = pids(s, "web");

            s.restart("web/0").get(30, TimeUnit.SECONDS);
            awaitAll(s, "web", ReplicaState.RUNNING);
            List<Long> second = pids(s, "web");
            assertNotEquals(first.get(0), second.get(0));
            assertEquals(first.get(1), second.get(1));
            assertEquals(1, s.status().replicas().get(0).restartCount());

            s.stop("web").get(30, TimeUnit.SECONDS);
            second.forEach(pid -> assertFalse(alive(pid), "process " + pid + " gone when stop completed"));
            awaitAll(s, "web", ReplicaState.STOPPED);
            for (ReplicaStatus r : s.status().replicas().subList(0, 2)) {
                assertFalse(r.shouldBeRunning(), r.toString());
            }
            assertEquals(Optional.empty(), s.await(Duration.ofMillis(200)), "a stopped critical service ends nothing");

            s.start("web").get(30, TimeUnit.SECONDS);
            awaitAll(s, "web", ReplicaState.RUNNING);
            pids(s, "web").forEach(pid -> assertTrue(alive(pid)));

            Await.until("trap set", () -> Files.exists(dir.resolve("ready")));
            s.signal("trap", Signal.HUP).get(30, TimeUnit.SECONDS);
            Await.until(() -> "trap saw SIGHUP; events: " + recorder.events(), () -> Files.exists(dir.resolve("hup")));

            assertThrows(IllegalArgumentException.class, () -> s.stop("nope"));
            assertTrue(recorder.of(OperatorRequest.class).stream().anyMatch(e -> e.operation().equals("restart")
                    && e.target().equals("web/0")), recorder.events().toString());
        }
    }
}
