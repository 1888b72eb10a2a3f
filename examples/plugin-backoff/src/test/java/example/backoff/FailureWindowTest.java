package example.backoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.api.restart.RunOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureWindowTest {
    private static final Location WHERE = new Location("c.toml", 12, 1);
    private static final Duration DELAY = Duration.ofMillis(250);
    private static final ExitStatus FAILED = ExitStatus.exited(1);
    private static final ReplicaId WEB0 = new ReplicaId("web", 0);
    private static final ReplicaId WEB1 = new ReplicaId("web", 1);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private WindowPolicy policy(Map<String, String> options) throws ConfigException {
        PolicyOptions given = new PolicyOptions(options, WHERE);
        WindowOptions read = WindowOptions.read(given);
        assertEquals(Set.of(), given.unread(), "every option is read");
        return new WindowPolicy(read, nanos::get);
    }

    private static RestartDecision exit(WindowPolicy p, ReplicaId id, int run, ExitStatus status) {
        return p.decide(new RunOutcome(id, run, status, Duration.ofMillis(5), DELAY));
    }

    private void later(long ms) {
        nanos.addAndGet(Duration.ofMillis(ms).toNanos());
    }

    @Test
    void restartsAfterTheServicesDelayUntilMaxFailuresFallInTheWindow() throws ConfigException {
        WindowPolicy p = policy(Map.of("max-failures", "3", "window-ms", "1000"));
        assertEquals(RestartDecision.restartAfter(DELAY), exit(p, WEB0, 1, FAILED));
        later(400);
        assertEquals(RestartDecision.restartAfter(DELAY), exit(p, WEB0, 2, ExitStatus.killed(9)));
        later(400);
        assertEquals(RestartDecision.stop("policy: failure-window (3 failures within 1000 ms)"), exit(p, WEB0, 3, FAILED));
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() throws ConfigException {
        WindowPolicy p = policy(Map.of("max-failures", "2", "window-ms", "1000"));
        int run = 0;
        for (int i = 0; i < 10; i++) {
            assertEquals(RestartDecision.restartAfter(DELAY), exit(p, WEB0, ++run, FAILED), "failure " + i);
            later(1001);
        }
        later(-1001 + 999);
        assertEquals(RestartDecision.Stop.class, exit(p, WEB0, ++run, FAILED).getClass());
    }

    @Test
    void eachReplicaHasItsOwnWindowAndAFirstRunStartsOver() throws ConfigException {
        WindowPolicy p = policy(Map.of("max-failures", "2"));
        exit(p, WEB0, 1, FAILED);
        assertEquals(RestartDecision.restartAfter(DELAY), exit(p, WEB1, 1, FAILED), "another replica's failure does not count");
        assertEquals(RestartDecision.restartAfter(DELAY), exit(p, WEB0, 1, FAILED), "a first run starts with no failures");
        assertEquals(RestartDecision.Stop.class, exit(p, WEB0, 2, FAILED).getClass());
    }

    @Test
    void successStopsAndForgets() throws ConfigException {
        WindowPolicy p = policy(Map.of());
        assertEquals(RestartDecision.stop("policy: failure-window (exited with code 0)"), exit(p, WEB0, 1, ExitStatus.exited(0)));
        for (int run = 1; run < WindowOptions.DEFAULT_MAX_FAILURES; run++) {
            assertEquals(RestartDecision.restartAfter(DELAY), exit(p, WEB0, run, FAILED), "defaults: 5 in 60 s");
        }
        assertEquals(RestartDecision.Stop.class, exit(p, WEB0, 5, FAILED).getClass());
    }

    @Test
    void badOptionsNameTheKeyAndTheTable() {
        for (Map<String, String> bad : List.of(Map.of("max-failures", "0"), Map.of("max-failures", "x"),
                Map.of("window-ms", "0"), Map.of("window-ms", "-5"))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> new FailureWindow().create(new PolicyOptions(bad, WHERE)), bad.toString());
            assertEquals(true, e.getMessage().startsWith("c.toml:12:1: restart option '"), e.getMessage());
        }
    }

    @Test
    void foundByServiceLoaderUnderItsName() {
        assertEquals(List.of("failure-window"), ServiceLoader.load(RestartPolicyProvider.class).stream()
                .map(p -> p.get().name()).toList());
    }
}
