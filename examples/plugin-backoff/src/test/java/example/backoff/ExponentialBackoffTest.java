package example.backoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.api.restart.RunOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
    private static final Location WHERE = new Location("c.toml", 12, 1);
    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration CONFIGURED = Duration.ofMillis(1000);
    private static final ReplicaId WEB0 = new ReplicaId("web", 0);
    private static final ReplicaId WEB1 = new ReplicaId("web", 1);

    private static RestartPolicy policy(Map<String, String> options) throws ConfigException {
        PolicyOptions given = new PolicyOptions(options, WHERE);
        RestartPolicy policy = new ExponentialBackoff().create(given);
        assertEquals(Set.of(), given.unread(), "every option is read");
        return policy;
    }

    /** A replica whose runs are numbered as Carnival numbers them. */
    private static final class Replica {
        private final RestartPolicy policy;
        private final ReplicaId id;
        private int run;

        Replica(RestartPolicy policy, ReplicaId id) {
            this.policy = policy;
            this.id = id;
        }

        RestartDecision exit(ExitStatus status, Duration uptime) {
            return policy.decide(new RunOutcome(id, ++run, status, uptime, CONFIGURED));
        }

        long crashMs() {
            return millis(exit(ExitStatus.exited(1), SHORT));
        }
    }

    private static long millis(RestartDecision decision) {
        return assertInstanceOf(RestartDecision.Restart.class, decision).delay().toMillis();
    }

    private static List<Long> crashes(Replica replica, int n) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            delays.add(replica.crashMs());
        }
        return delays;
    }

    @Test
    void isNamedAndFoundByServiceLoader() {
        assertEquals("exponential-backoff", new ExponentialBackoff().name());
        assertTrue(ServiceLoader.load(RestartPolicyProvider.class).stream()
                .anyMatch(p -> p.type() == ExponentialBackoff.class));
    }

    @Test
    void delaysGrowByTheFactorUpToTheMax() throws ConfigException {
        Replica web = new Replica(policy(Map.of("initial-delay-ms", "100", "factor", "3", "max-delay-ms", "5000")), WEB0);
        assertEquals(List.of(100L, 300L, 900L, 2700L, 5000L, 5000L), crashes(web, 6));
    }

    @Test
    void defaultsStartAtTheConfiguredDelayAndDouble() throws ConfigException {
        Replica web = new Replica(policy(Map.of()), WEB0);
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L), crashes(web, 8));
    }

    @Test
    void aFractionalFactorRounds() throws ConfigException {
        Replica web = new Replica(policy(Map.of("initial-delay-ms", "10", "factor", "1.5")), WEB0);
        assertEquals(List.of(10L, 15L, 23L, 34L), crashes(web, 4));
    }

    @Test
    void factorOneIsAConstantDelay() throws ConfigException {
        Replica web = new Replica(policy(Map.of("initial-delay-ms", "250", "factor", "1")), WEB0);
        assertEquals(List.of(250L, 250L, 250L), crashes(web, 3));
    }

    @Test
    void aDefaultedInitialDelayAboveTheMaxIsCapped() throws ConfigException {
        Replica web = new Replica(policy(Map.of("max-delay-ms", "500")), WEB0);
        assertEquals(List.of(500L, 500L), crashes(web, 2));
    }

    @Test
    void manyCrashesSaturateAtTheMaxWithoutOverflow() throws ConfigException {
        Replica web = new Replica(policy(Map.of("initial-delay-ms", "1", "factor", "1000")), WEB0);
        List<Long> delays = crashes(web, 500);
        assertEquals(60000L, delays.getLast());
        assertTrue(delays.stream().allMatch(d -> d >= 0 && d <= 60000L), delays.toString());
    }

    @Test
    void aZeroInitialDelayStaysZero() throws ConfigException {
        Replica web = new Replica(policy(Map.of("initial-delay-ms", "0", "factor", "1000")), WEB0);
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), crashes(web, 9));
    }

    @Test
    void aStableRunResetsToTheInitialDelay() throws ConfigException {
        Replica web = new Replica(policy(Map.of("initial-delay-ms", "100", "reset-after-ms", "5000")), WEB0);
        assertEquals(List.of(100L, 200L, 400L), crashes(web, 3));
        assertEquals(100L, millis(web.exit(ExitStatus.exited(1), Duration.ofMillis(5000))));
        assertEquals(List.of(200L, 400L), crashes(web, 2));
        // Just short of reset-after-ms is still a crash loop.
        assertEquals(800L, millis(web.exit(ExitStatus.killed(9), Duration.ofMillis(4999))));
    }

    @Test
    void onFailureStopsAfterSuccessAndForgetsTheReplica() throws ConfigException {
        RestartPolicy policy = policy(Map.of("initial-delay-ms", "100"));
        Replica web = new Replica(policy, WEB0);
        assertEquals(List.of(100L, 200L), crashes(web, 2));
        assertEquals(new RestartDecision.Stop("policy: exponential-backoff"), web.exit(ExitStatus.exited(0), SHORT));
        // A signal is a failure, not a success.
        Replica web1 = new Replica(policy, WEB1);
        assertEquals(100L, millis(web1.exit(ExitStatus.killed(15), SHORT)));
    }

    @Test
    void onAlwaysRestartsAfterSuccessToo() throws ConfigException {
        Replica web = new Replica(policy(Map.of("initial-delay-ms", "100", "on", "always")), WEB0);
        assertEquals(100L, millis(web.exit(ExitStatus.exited(0), SHORT)));
        assertEquals(200L, millis(web.exit(ExitStatus.exited(0), SHORT)));
        assertEquals(400L, millis(web.exit(ExitStatus.exited(3), SHORT)));
    }

    @Test
    void replicasBackOffIndependently() throws ConfigException {
        RestartPolicy policy = policy(Map.of("initial-delay-ms", "100"));
        Replica web0 = new Replica(policy, WEB0);
        Replica web1 = new Replica(policy, WEB1);
        assertEquals(List.of(100L, 200L, 400L), crashes(web0, 3));
        assertEquals(List.of(100L, 200L), crashes(web1, 2));
        assertEquals(800L, web0.crashMs());
    }

    @Test
    void aFirstRunStartsAFreshCount() throws ConfigException {
        RestartPolicy policy = policy(Map.of("initial-delay-ms", "100"));
        assertEquals(List.of(100L, 200L), crashes(new Replica(policy, WEB0), 2));
        // Same replica id, starting over (say, the policy reused by a second supervisor).
        assertEquals(100L, new Replica(policy, WEB0).crashMs());
    }

    @Test
    void concurrentReplicasEachGetTheirOwnSequence() throws Exception {
        RestartPolicy policy = policy(Map.of("initial-delay-ms", "1", "max-delay-ms", "1000000"));
        int replicas = 16;
        List<Long> expected = List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L);
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            Replica replica = new Replica(policy, new ReplicaId("web", i));
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    assertEquals(expected, crashes(replica, expected.size()));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    private static ConfigException rejected(Map<String, String> options) {
        ConfigException e = assertThrows(ConfigException.class, () -> policy(options));
        assertEquals(WHERE, e.location());
        return e;
    }

    @Test
    void badOptionsAreConfigErrorsAtTheOptions() {
        assertEquals("restart option 'factor' must be a number >= 1, got '0.5'",
                rejected(Map.of("factor", "0.5")).problem());
        assertEquals("restart option 'factor' must be a number, got 'fast'",
                rejected(Map.of("factor", "fast")).problem());
        assertEquals("restart option 'factor' must be a finite number, got 'Infinity'",
                rejected(Map.of("factor", "Infinity")).problem());
        assertEquals("restart option 'initial-delay-ms' must be a number of milliseconds >= 0, got '-1'",
                rejected(Map.of("initial-delay-ms", "-1")).problem());
        assertEquals("restart option 'max-delay-ms' must be a whole number, got '1.5'",
                rejected(Map.of("max-delay-ms", "1.5")).problem());
        assertEquals("restart option 'reset-after-ms' must be a number of milliseconds >= 0, got '-5'",
                rejected(Map.of("reset-after-ms", "-5")).problem());
        assertEquals("restart option 'on' must be \"failure\" or \"always\", got 'success'",
                rejected(Map.of("on", "success")).problem());
        assertEquals("restart option 'initial-delay-ms' (2000) must not be greater than 'max-delay-ms' (1000)",
                rejected(Map.of("initial-delay-ms", "2000", "max-delay-ms", "1000")).problem());
    }

    @Test
    void unknownOptionsAreLeftForCarnivalToReport() throws ConfigException {
        PolicyOptions given = new PolicyOptions(Map.of("factor", "2", "max-delay", "10"), WHERE);
        new ExponentialBackoff().create(given);
        assertEquals(Set.of("max-delay"), given.unread());
    }
}
