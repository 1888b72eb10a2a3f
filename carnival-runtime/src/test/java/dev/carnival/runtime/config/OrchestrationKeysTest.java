package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.plugins.toml.TomlConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrchestrationKeysTest {
    private static BoundConfig bind(String toml) throws ConfigException {
        return new ConfigBinder(new Interpolator(Map.of("PORT", "5432"))).bind(new TomlConfigSource().parse(toml, "c.toml"));
    }

    private static ServiceConfig service(String body) throws ConfigException {
        return bind("[[service]]\nname = \"web\"\ncommand = \"true\"\n" + body).config().services().getFirst();
    }

    @Test
    void dependsOnListMeansReadyAndATableNamesConditionsInOrder() throws ConfigException {
        assertEquals(Map.of("db", Condition.READY, "cache", Condition.READY), service("depends-on = [\"db\", \"cache\"]\n").dependsOn());
        ServiceConfig s = service("depends_on = { migrate = \"completed\", db = \"ready\", cache = \"started\" }\n");
        assertEquals(List.of("migrate", "db", "cache"), List.copyOf(s.dependsOn().keySet()));
        assertEquals(List.of(Condition.COMPLETED, Condition.READY, Condition.STARTED), List.copyOf(s.dependsOn().values()));
    }

    @Test
    void dependsOnEntriesKeepTheirLocations() throws ConfigException {
        BoundConfig b = bind("[[service]]\nname = \"web\"\ncommand = \"true\"\ndepends-on = [\"db\", \"cache\"]\n");
        assertEquals(new Location("c.toml", 4, 21), b.sources().at(SourceMap.service(0, "depends-on.cache")));
    }

    @Test
    void aProbeTableWithEveryKeyAndDefaults() throws ConfigException {
        ServiceConfig s = service("""
                [service.readiness]
                tcp = "127.0.0.1:${PORT}"
                period_ms = 200
                timeout-ms = "300"
                initial-delay-ms = 50
                success-threshold = 2
                failure-threshold = 4
                [service.liveness]
                exec = ["sh", "-c", "test -f ok"]
                """);
        assertEquals(Optional.of(new ProbeSpec("tcp", List.of("127.0.0.1:5432"), Map.of(), Duration.ofMillis(200),
                Duration.ofMillis(300), Duration.ofMillis(50), 2, 4)), s.readiness());
        assertEquals(Optional.of(ProbeSpec.of("exec", List.of("sh", "-c", "test -f ok"))), s.liveness());
    }

    @Test
    void aPluginProbeTakesItsOptions() throws ConfigException {
        ServiceConfig s = service("[service.readiness]\nprobe = \"grpc\"\n[service.readiness.options]\nservice_name = \"x\"\nport = 9\n");
        ProbeSpec p = s.readiness().orElseThrow();
        assertEquals("grpc", p.probe());
        assertEquals(List.of(), p.target());
        assertEquals(Map.of("service-name", "x", "port", "9"), p.options());
    }

    @Test
    void anEmptyExecIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> service("[service.readiness]\nexec = []\n"));
        assertEquals("'exec' in [service.readiness] of [[service]] 'web' must name a command: [\"command\", \"arg\"...]", e.problem());
    }

    @Test
    void aServiceNamedTwiceInDependsOnIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> service("depends-on = [\"db\", \"db\"]\n"));
        assertEquals("'db' is named twice in 'depends-on' in [[service]] 'web'", e.problem());
    }
}
