package dev.carnival.plugins.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.plugins.toml.TomlConfigSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A YAML config and its TOML twin must read as the same tree, so the binder treats them alike. */
class TomlTwinTest {
    private static final String TOML = """
            [[init]]
            command = "mkdir"
            args = ["-p", "${DATA_DIR:-/data}"]

            [[service]]
            name = "webserver"
            command = "python3"
            args = ["-m", "http.server", "${PORT:-8000}"]
            replicas = "${NUM_WORKERS:-2}"
            restart = "always"
            restart-delay-ms = 1000
            restart_limit = 0
            stop-timeout-ms = 10000
            critical = true

            [[service]]
            name = "worker"
            command = "sh"
            args = ["-c", "echo \\"I am $CARNIVAL_SERVICE_NAME\\"\\n"]
            restart = "exponential-backoff"

            [service.restart-options]
            factor = 1.5
            max-delay-ms = 60000
            on = "failure"

            [global]
            shutdown-timeout-ms = 5000
            """;

    private static final String YAML = """
            init:
              - command: mkdir
                args: [-p, "${DATA_DIR:-/data}"]

            service:
              - name: webserver
                command: python3
                args: [-m, http.server, "${PORT:-8000}"]
                replicas: "${NUM_WORKERS:-2}"
                restart: always
                restart-delay-ms: 1000
                restart_limit: 0
                stop-timeout-ms: 10000
                critical: true

              - name: worker
                command: sh
                args:
                  - -c
                  - |
                    echo "I am $CARNIVAL_SERVICE_NAME"
                restart: exponential-backoff
                restart-options:
                  factor: 1.5
                  max-delay-ms: 60000
                  on: failure

            global:
              shutdown-timeout-ms: 5000
            """;

    @Test
    void yamlTwinOfATomlConfigIsTheSameTree() throws ConfigException {
        ConfigNode.Table toml = new TomlConfigSource().parse(TOML, "c.toml");
        ConfigNode.Table yaml = new YamlConfigSource().parse(YAML, "c.yaml");
        assertEquals(plain(toml), plain(yaml));
    }

    @Test
    void theComparisonSeesTypeDifferences() throws ConfigException {
        // Guards the helper: an integer and a string of the same digits must not compare equal.
        ConfigNode.Table toml = new TomlConfigSource().parse("replicas = 2\n", "c.toml");
        ConfigNode.Table yaml = new YamlConfigSource().parse("replicas: '2'\n", "c.yaml");
        assertNotEquals(plain(toml), plain(yaml));
    }

    /** The tree without locations: maps, lists and boxed scalars, which compare by value and type. */
    static Object plain(ConfigNode node) {
        return switch (node) {
            case ConfigNode.Table t -> {
                Map<String, Object> m = new LinkedHashMap<>();
                t.entries().forEach((k, v) -> m.put(k, plain(v)));
                yield m;
            }
            case ConfigNode.Array a -> a.items().stream().map(TomlTwinTest::plain).toList();
            case ConfigNode.Text s -> s.value();
            case ConfigNode.Int i -> i.value();
            case ConfigNode.Decimal d -> d.value();
            case ConfigNode.Bool b -> b.value();
        };
    }

    @Test
    void keyOrderIsKeptToo() throws ConfigException {
        ConfigNode.Table yaml = new YamlConfigSource().parse(YAML, "c.yaml");
        assertEquals(List.of("init", "service", "global"), List.copyOf(yaml.entries().keySet()));
    }
}
