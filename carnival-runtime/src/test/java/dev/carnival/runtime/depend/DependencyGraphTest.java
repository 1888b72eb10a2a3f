package dev.carnival.runtime.depend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.config.SourceMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
    private static final SourceMap NOWHERE = new SourceMap("c.toml", Map.of());

    private static ServiceConfig service(String name, Map<String, Condition> deps) {
        return ServiceConfig.builder(name, "true").dependsOn(deps).build();
    }

    private static List<String> problems(CarnivalConfig config) {
        ConfigException e = assertThrows(ConfigException.class, () -> DependencyGraph.of(config, NOWHERE));
        return Problems.of(e).stream().map(ConfigException::problem).toList();
    }

    @Test
    void levelsKeepConfigOrderAndPutEachServiceAfterItsDependencies() throws ConfigException {
        DependencyGraph g = DependencyGraph.of(CarnivalConfig.of(
                service("web", Map.of("db", Condition.READY, "migrate", Condition.COMPLETED)),
                service("migrate", Map.of("db", Condition.READY)),
                service("db", Map.of()),
                service("cache", Map.of())), NOWHERE);
        assertEquals(List.of(List.of("db", "cache"), List.of("migrate"), List.of("web")), g.levels());
        assertEquals("db, cache -> migrate -> web", g.describe());
        assertEquals(List.of("web", "migrate"), g.dependentsOf("db"));
        assertEquals(Map.of("db", Condition.READY, "migrate", Condition.COMPLETED), g.dependenciesOf("web"));
    }

    @Test
    void everyProblemIsReported() {
        List<String> found = problems(CarnivalConfig.of(
                service("a", Map.of("a", Condition.READY)),
                service("b", Map.of("nope", Condition.STARTED)),
                ServiceConfig.builder("loop", "true").restart("always").build(),
                service("c", Map.of("loop", Condition.COMPLETED))));
        assertEquals(List.of("service 'a' depends on itself",
                "service 'b' depends on unknown service 'nope' (services: a, b, loop, c)",
                "service 'c' waits for 'loop' to be completed, but 'loop' has restart = \"always\" and never completes"),
                found);
    }

    @Test
    void aCycleNamesItsMembers() {
        List<String> found = problems(CarnivalConfig.of(
                service("free", Map.of()),
                service("x", Map.of("y", Condition.READY)),
                service("y", Map.of("z", Condition.STARTED)),
                service("z", Map.of("x", Condition.READY)),
                service("after", Map.of("x", Condition.READY))));
        assertEquals(List.of("dependency cycle: x -> y -> z -> x"), found);
    }
}
