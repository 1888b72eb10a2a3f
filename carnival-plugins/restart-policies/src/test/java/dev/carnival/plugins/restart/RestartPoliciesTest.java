package dev.carnival.plugins.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.SuccessExitCodes;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.api.restart.RunOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RestartPoliciesTest {
    private static final Duration DELAY = Duration.ofMillis(1234);
    private static final ExitStatus SUCCESS = ExitStatus.exited(0);
    private static final ExitStatus FAILURE = ExitStatus.exited(3);
    private static final ExitStatus KILLED = ExitStatus.killed(9);

    private static RestartPolicy policy(RestartPolicyProvider provider) throws ConfigException {
        return provider.create(PolicyOptions.none(Location.of("test")));
    }

    private static RestartDecision decide(RestartPolicy policy, ExitStatus status, int run) {
        return policy.decide(new RunOutcome(new ReplicaId("svc", 0), run, status, Duration.ofSeconds(2), DELAY));
    }

    @Test
    void namesAreTheOriginals() {
        assertEquals("no", new NoRestart().name());
        assertEquals("always", new AlwaysRestart().name());
        assertEquals("on-failure", new OnFailureRestart().name());
    }

    @Test
    void allThreeAreFoundByServiceLoader() {
        Set<String> names = new TreeSet<>();
        ServiceLoader.load(RestartPolicyProvider.class).forEach(p -> names.add(p.name()));
        assertEquals(Set.of("always", "no", "on-failure"), names);
    }

    @Test
    void noNeverRestarts() throws ConfigException {
        RestartPolicy p = policy(new NoRestart());
        for (ExitStatus s : new ExitStatus[] {SUCCESS, FAILURE, KILLED}) {
            assertEquals(RestartDecision.stop("policy: no"), decide(p, s, 1));
        }
    }

    @Test
    void alwaysRestartsAfterTheConfiguredDelay() throws ConfigException {
        RestartPolicy p = policy(new AlwaysRestart());
        for (ExitStatus s : new ExitStatus[] {SUCCESS, FAILURE, KILLED}) {
            RestartDecision d = decide(p, s, 5);
            assertEquals(DELAY, assertInstanceOf(RestartDecision.Restart.class, d).delay(), s.describe());
        }
    }

    @Test
    void alwaysUsesEachOutcomesDelay() throws ConfigException {
        RestartPolicy p = policy(new AlwaysRestart());
        RestartDecision d = p.decide(new RunOutcome(new ReplicaId("s", 1), 1, SUCCESS, Duration.ZERO, Duration.ZERO));
        assertEquals(RestartDecision.restartAfter(Duration.ZERO), d);
    }

    @Test
    void onFailureTakesTheServicesSuccessExitCodes() throws ConfigException {
        RestartPolicy p = policy(new OnFailureRestart());
        SuccessExitCodes codes = SuccessExitCodes.of(0, 143);
        for (ExitStatus s : new ExitStatus[] {SUCCESS, ExitStatus.exited(143), ExitStatus.killed(15)}) {
            assertEquals(RestartDecision.stop("policy: on-failure"),
                    p.decide(new RunOutcome(new ReplicaId("svc", 0), 1, s, Duration.ZERO, DELAY, codes)), s.describe());
        }
        for (ExitStatus s : new ExitStatus[] {FAILURE, KILLED, ExitStatus.exited(137)}) {
            assertInstanceOf(RestartDecision.Restart.class,
                    p.decide(new RunOutcome(new ReplicaId("svc", 0), 1, s, Duration.ZERO, DELAY, codes)), s.describe());
        }
        // Without 0 among them, 0 is a failure like any other code.
        assertInstanceOf(RestartDecision.Restart.class, p.decide(new RunOutcome(new ReplicaId("svc", 0), 1, SUCCESS,
                Duration.ZERO, DELAY, SuccessExitCodes.of(143))));
    }

    @Test
    void onFailureStopsAfterSuccess() throws ConfigException {
        assertEquals(RestartDecision.stop("policy: on-failure"), decide(policy(new OnFailureRestart()), SUCCESS, 1));
    }

    @Test
    void onFailureRestartsAfterFailureExit() throws ConfigException {
        assertEquals(RestartDecision.restartAfter(DELAY), decide(policy(new OnFailureRestart()), FAILURE, 1));
    }

    @Test
    void onFailureTreatsKilledBySignalAsFailure() throws ConfigException {
        RestartPolicy p = policy(new OnFailureRestart());
        assertEquals(RestartDecision.restartAfter(DELAY), decide(p, KILLED, 2));
        assertEquals(RestartDecision.restartAfter(DELAY), decide(p, ExitStatus.killed(15), 3));
    }

    @Test
    void builtInsReadOnlyTheBackoffOptionsSoOthersAreReportedUnknown() throws ConfigException {
        for (RestartPolicyProvider provider : new RestartPolicyProvider[] {
                new NoRestart(), new AlwaysRestart(), new OnFailureRestart()}) {
            PolicyOptions options = new PolicyOptions(Map.of("max-retries", "3", "backoff", "2"), Location.of("t"));
            provider.create(options);
            Set<String> expected = provider instanceof NoRestart ? Set.of("backoff", "max-retries") : Set.of("max-retries");
            assertEquals(expected, options.unread(), provider.name());
        }
    }

    private static RestartPolicy withOptions(RestartPolicyProvider provider, Map<String, String> options)
            throws ConfigException {
        return provider.create(new PolicyOptions(options, Location.of("t")));
    }

    private static long delayMs(RestartPolicy p, ReplicaId replica, int run, Duration uptime, long configuredMs) {
        RestartDecision d = p.decide(new RunOutcome(replica, run, FAILURE, uptime, Duration.ofMillis(configuredMs)));
        return assertInstanceOf(RestartDecision.Restart.class, d).delay().toMillis();
    }

    @Test
    void backoffDoublesUpToTheCapForBothPolicies() throws ConfigException {
        for (RestartPolicyProvider provider : new RestartPolicyProvider[] {new AlwaysRestart(), new OnFailureRestart()}) {
            RestartPolicy p = withOptions(provider, Map.of("backoff", "2", "max-delay-ms", "1000"));
            ReplicaId r = new ReplicaId("s", 0);
            List<Long> delays = new java.util.ArrayList<>();
            for (int run = 1; run <= 7; run++) {
                delays.add(delayMs(p, r, run, Duration.ofMillis(5), 100));
            }
            assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L), delays, provider.name());
        }
    }

    @Test
    void aRunLastingResetAfterStartsOverAndEachReplicaCountsAlone() throws ConfigException {
        RestartPolicy p = withOptions(new AlwaysRestart(), Map.of("backoff", "3", "reset-after-ms", "500"));
        ReplicaId a = new ReplicaId("s", 0);
        ReplicaId b = new ReplicaId("s", 1);
        assertEquals(10, delayMs(p, a, 1, Duration.ZERO, 10));
        assertEquals(30, delayMs(p, a, 2, Duration.ZERO, 10));
        assertEquals(10, delayMs(p, b, 1, Duration.ZERO, 10), "another replica starts its own count");
        assertEquals(90, delayMs(p, a, 3, Duration.ofMillis(499), 10));
        assertEquals(10, delayMs(p, a, 4, Duration.ofMillis(500), 10), "a run of reset-after-ms resets");
        assertEquals(30, delayMs(p, a, 5, Duration.ZERO, 10));
        assertEquals(10, delayMs(p, a, 1, Duration.ZERO, 10), "a first run starts over");
    }

    @Test
    void defaultsKeepTheOriginalsFixedDelayEvenAboveTheMaximum() throws ConfigException {
        RestartPolicy p = policy(new AlwaysRestart());
        for (int run = 1; run <= 5; run++) {
            assertEquals(600_000, delayMs(p, new ReplicaId("s", 0), run, Duration.ZERO, 600_000));
        }
        RestartPolicy grown = withOptions(new OnFailureRestart(), Map.of("backoff", "10"));
        assertEquals(400_000, delayMs(grown, new ReplicaId("s", 0), 1, Duration.ZERO, 400_000));
        assertEquals(400_000, delayMs(grown, new ReplicaId("s", 0), 2, Duration.ZERO, 400_000),
                "a restart-delay-ms above max-delay-ms is kept, never shortened");
        RestartPolicy huge = withOptions(new AlwaysRestart(), Map.of("backoff", "1e300"));
        delayMs(huge, new ReplicaId("s", 0), 1, Duration.ZERO, 50);
        assertEquals(300_000, delayMs(huge, new ReplicaId("s", 0), 2, Duration.ZERO, 50));
        assertEquals(300_000, delayMs(huge, new ReplicaId("s", 0), 3, Duration.ZERO, 50), "no overflow past the cap");
    }

    @Test
    void onFailureSuccessForgetsTheCount() throws ConfigException {
        RestartPolicy p = withOptions(new OnFailureRestart(), Map.of("backoff", "2"));
        ReplicaId r = new ReplicaId("s", 0);
        assertEquals(100, delayMs(p, r, 1, Duration.ZERO, 100));
        assertEquals(200, delayMs(p, r, 2, Duration.ZERO, 100));
        assertEquals(RestartDecision.stop("policy: on-failure"),
                p.decide(new RunOutcome(r, 3, SUCCESS, Duration.ZERO, Duration.ofMillis(100))));
    }

    @Test
    void badBackoffOptionsAreConfigErrors() {
        Location where = new Location("c.toml", 5, 1);
        for (Map<String, String> bad : List.of(Map.of("backoff", "0.5"), Map.of("backoff", "x"),
                Map.of("max-delay-ms", "-1"), Map.of("reset-after-ms", "soon"))) {
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                    () -> new AlwaysRestart().create(new PolicyOptions(bad, where)));
            assertEquals(true, e.getMessage().startsWith("c.toml:5:1: restart option '"), e.getMessage());
        }
    }
}
