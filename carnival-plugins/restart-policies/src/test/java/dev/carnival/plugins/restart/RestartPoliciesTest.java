package dev.carnival.plugins.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
    void builtInsReadNoOptionsSoAnyGivenAreReportedUnknown() throws ConfigException {
        for (RestartPolicyProvider provider : new RestartPolicyProvider[] {
                new NoRestart(), new AlwaysRestart(), new OnFailureRestart()}) {
            PolicyOptions options = new PolicyOptions(Map.of("max-retries", "3"), Location.of("t"));
            provider.create(options);
            assertEquals(Set.of("max-retries"), options.unread(), provider.name());
        }
    }
}
