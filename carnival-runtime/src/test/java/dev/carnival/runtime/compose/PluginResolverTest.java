package dev.carnival.runtime.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.RestartSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.plugins.restart.AlwaysRestart;
import dev.carnival.plugins.restart.NoRestart;
import dev.carnival.plugins.restart.OnFailureRestart;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.plugin.Plugin;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class PluginResolverTest {
    private static final Location SERVICE_0 = new Location("c.toml", 1, 1);
    private static final Location SERVICE_1 = new Location("c.toml", 5, 1);
    private static final Location RESTART_1 = new Location("c.toml", 8, 1);
    private static final Location OPTIONS_1 = new Location("c.toml", 9, 1);
    private static final SourceMap SOURCES = new SourceMap("c.toml", Map.of(
            SourceMap.service(0, ""), SERVICE_0,
            SourceMap.service(1, ""), SERVICE_1,
            SourceMap.service(1, "restart"), RESTART_1,
            SourceMap.service(1, "restart-options"), OPTIONS_1));

    private static Map<String, Plugin<RestartPolicyProvider>> builtIns() {
        Map<String, Plugin<RestartPolicyProvider>> m = new HashMap<>();
        for (RestartPolicyProvider p : new RestartPolicyProvider[] {new OnFailureRestart(), new NoRestart(), new AlwaysRestart()}) {
            m.put(p.name(), new Plugin<>("restart-policy", p.name(), p, "carnival.restart", "built-in"));
        }
        return m;
    }

    private static Map<String, Plugin<RestartPolicyProvider>> with(RestartPolicyProvider provider, String name) {
        Map<String, Plugin<RestartPolicyProvider>> m = builtIns();
        m.put(name, new Plugin<>("restart-policy", name, provider, "com.example.policies", "/plugins/x.jar"));
        return m;
    }

    /** Service 0 uses the default policy; service 1 ("web") uses {@code spec}. */
    private static CarnivalConfig config(RestartSpec spec) {
        return CarnivalConfig.of(
                ServiceConfig.builder("first", "true").build(),
                ServiceConfig.builder("web", "true").restart(spec).build());
    }

    @Test
    void resolvesEveryServiceByName() throws ConfigException {
        Map<String, RestartPolicy> policies = PluginResolver.policies(config(RestartSpec.of("always")), SOURCES, builtIns());
        assertEquals(2, policies.size());
        var outcome = new dev.carnival.api.restart.RunOutcome(new dev.carnival.api.model.ReplicaId("web", 0), 1,
                dev.carnival.api.model.ExitStatus.exited(0), java.time.Duration.ZERO, java.time.Duration.ofMillis(5));
        assertEquals(RestartDecision.stop("policy: no"), policies.get("first").decide(outcome));
        assertEquals(RestartDecision.restartAfter(java.time.Duration.ofMillis(5)), policies.get("web").decide(outcome));
    }

    @Test
    void unknownPolicyListsKnownOnesSorted() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginResolver.policies(config(RestartSpec.of("sometimes")), SOURCES, builtIns()));
        assertEquals(RESTART_1, e.location());
        assertEquals("unknown restart policy 'sometimes' for service 'web' (known policies: always, no, on-failure)",
                e.problem());
    }

    @Test
    void unknownPolicyWithoutALocationFallsBackToTheServiceTable() {
        CarnivalConfig c = CarnivalConfig.of(ServiceConfig.builder("first", "true").restart("nope").build());
        ConfigException e = assertThrows(ConfigException.class, () -> PluginResolver.policies(c, SOURCES, builtIns()));
        assertEquals(SERVICE_0, e.location());
    }

    @Test
    void optionsReachTheProviderWithTheirLocation() throws ConfigException {
        RestartPolicyProvider provider = mock(RestartPolicyProvider.class);
        RestartPolicy policy = outcome -> RestartDecision.stop("x");
        when(provider.create(any())).thenAnswer(inv -> {
            PolicyOptions o = inv.getArgument(0);
            o.number("max-tries", 0);
            return policy;
        });
        Map<String, RestartPolicy> policies = PluginResolver.policies(
                config(new RestartSpec("custom", Map.of("max-tries", "3"))), SOURCES, with(provider, "custom"));
        assertSame(policy, policies.get("web"));
        ArgumentCaptor<PolicyOptions> captor = ArgumentCaptor.forClass(PolicyOptions.class);
        verify(provider).create(captor.capture());
        assertEquals(OPTIONS_1, captor.getValue().location());
        assertEquals(Optional.of("3"), captor.getValue().text("max-tries"));
    }

    @Test
    void providerThatThrowsBecomesAConfigErrorNamingPolicyModuleAndService() throws ConfigException {
        RestartPolicyProvider provider = mock(RestartPolicyProvider.class);
        when(provider.create(any())).thenThrow(new IllegalStateException("boom"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginResolver.policies(config(RestartSpec.of("custom")), SOURCES, with(provider, "custom")));
        assertEquals(OPTIONS_1, e.location());
        assertEquals("restart policy 'custom' (module com.example.policies) failed to start for service 'web': "
                + "java.lang.IllegalStateException: boom", e.problem());
    }

    @Test
    void providersOwnConfigErrorPassesThrough() throws ConfigException {
        RestartPolicyProvider provider = mock(RestartPolicyProvider.class);
        ConfigException own = new ConfigException(OPTIONS_1, "restart option 'max-tries' must be a whole number, got 'x'");
        when(provider.create(any())).thenThrow(own);
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginResolver.policies(config(RestartSpec.of("custom")), SOURCES, with(provider, "custom")));
        assertSame(own, e);
    }

    @Test
    void optionsNotReadAreUnknown() {
        ConfigException e = assertThrows(ConfigException.class, () -> PluginResolver.policies(
                config(new RestartSpec("always", Map.of("max-tries", "3"))), SOURCES, builtIns()));
        assertEquals(OPTIONS_1, e.location());
        assertEquals("unknown restart option 'max-tries' for policy 'always' of service 'web'", e.problem());
    }

    @Test
    void severalUnreadOptionsAreListedSorted() {
        ConfigException e = assertThrows(ConfigException.class, () -> PluginResolver.policies(
                config(new RestartSpec("on-failure", Map.of("zz", "1", "aa", "2"))), SOURCES, builtIns()));
        assertEquals("unknown restart options 'aa', 'zz' for policy 'on-failure' of service 'web'", e.problem());
    }

    @Test
    void providerReturningNull() throws ConfigException {
        RestartPolicyProvider provider = mock(RestartPolicyProvider.class);
        when(provider.create(any())).thenReturn(null);
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginResolver.policies(config(RestartSpec.of("custom")), SOURCES, with(provider, "custom")));
        assertEquals(OPTIONS_1, e.location());
        assertEquals("restart policy 'custom' (module com.example.policies) made no policy for service 'web'",
                e.problem());
    }
}
