package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** TOML and YAML give the same plan; YAML's traps are one-line errors; format selection. */
class FormatsIT {
    static final Path EXAMPLES = ExampleIT.EXAMPLES.toAbsolutePath().normalize();
    static final Path BACKOFF_JARS = EXAMPLES.resolve("plugin-backoff/target");

    @TempDir
    Path dir;

    /** Every TOML config under examples/ that has a YAML twin. */
    static Stream<Path> twins() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            List<Path> tomls = files.filter(p -> p.toString().endsWith(".toml") && !p.toString().contains("/target/")).toList();
            tomls.forEach(t -> assertTrue(Files.exists(yamlTwin(t)), "no YAML twin for " + t));
            return tomls.stream();
        }
    }

    private static Path yamlTwin(Path toml) {
        return toml.resolveSibling(toml.getFileName().toString().replace(".toml", ".yaml"));
    }

    @ParameterizedTest
    @MethodSource("twins")
    void tomlAndYamlTwinsGiveTheSamePlan(Path toml) {
        String tomlPlan = plan(toml);
        String yamlPlan = plan(yamlTwin(toml));
        assertTrue(tomlPlan.startsWith("config: " + toml + " (toml)\n"), tomlPlan);
        assertTrue(yamlPlan.startsWith("config: " + yamlTwin(toml) + " (yaml)\n"), yamlPlan);
        assertEquals(dropFirstLine(tomlPlan), dropFirstLine(yamlPlan));
    }

    private String plan(Path config) {
        try (CarnivalProcess c = CarnivalProcess.run(dir, "check", "--plugin-path", BACKOFF_JARS.toString(),
                "-c", config.toString())) {
            assertEquals(0, c.exitCode(), c.stderr());
            return c.stdout();
        }
    }

    private static String dropFirstLine(String s) {
        return s.substring(s.indexOf('\n') + 1);
    }

    static Stream<Arguments> yamlTraps() {
        return Stream.of(
                Arguments.of("duplicate key", "service:\n  - name: a\n    command: \"true\"\n    name: b\n", "bad.yaml:4:5: ", "duplicate key 'service[0].name'"),
                Arguments.of("alias", "x: &a [1]\nservice:\n  - name: a\n    command: \"true\"\n    args: *a\n", "bad.yaml:5:11: ", "alias"),
                Arguments.of("non-string key", "service:\n  - name: a\n    command: \"true\"\n    1: x\n", "bad.yaml:4:5: ", "key"),
                Arguments.of("null value", "service:\n  - name: a\n    command:\n", "bad.yaml:3:5: ", "null"),
                Arguments.of("two documents", "service: []\n---\nservice: []\n", "bad.yaml:2:1: ", "document"),
                Arguments.of("syntax error", "service:\n  - name: [a\n", "bad.yaml:", ""),
                Arguments.of("unknown key, as in TOML", "service:\n  - name: a\n    command: \"true\"\n    colour: red\n",
                        "bad.yaml:4:5: ", "unknown key 'colour' in [[service]] 'a'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlTraps")
    void yamlTrapsAreOneLineErrors(String name, String yaml, String where, String what) {
        Configs.write(dir, "bad.yaml", yaml);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "bad.yaml")) {
            assertEquals(2, c.exitCode(), c.stderr());
            List<String> lines = c.stderr().lines().toList();
            assertEquals(1, lines.size(), c.stderr());
            assertTrue(lines.getFirst().startsWith("carnival: " + where), lines.getFirst());
            assertTrue(lines.getFirst().contains(what), lines.getFirst());
            c.assertNoStackTrace();
        }
    }

    @Test
    void billionLaughsIsRejectedWithoutExpanding() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char prev = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(prev).append(",*").append(prev).append(",*")
                    .append(prev).append(",*").append(prev).append(",*").append(prev).append("]\n");
        }
        Configs.write(dir, "laughs.yaml", yaml.toString());
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "laughs.yaml")) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertTrue(c.stderr().startsWith("carnival: laughs.yaml:2:"), c.stderr());
        }
    }

    @Test
    void oversizedConfigIsRejected() {
        Configs.write(dir, "big.yaml", "# " + "x".repeat(1024 * 1024) + "\nservice: []\n");
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "big.yaml")) {
            assertEquals(2, c.exitCode());
            assertTrue(c.stderr().strip().matches("carnival: big.yaml: config file is \\d+ bytes; the limit is 1048576 \\(1 MiB\\)"),
                    c.stderr());
        }
    }

    @Test
    void formatOptionOverridesTheExtensionAndNeutralVariableWorks() {
        Configs.write(dir, "services.conf", "service:\n  - name: a\n    command: touch\n    args: [ran]\n");
        try (CarnivalProcess c = CarnivalProcess.run(dir, "--format", "yaml", "-c", "services.conf")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(Files.exists(dir.resolve("ran")));
        }
        try (CarnivalProcess c = CarnivalProcess.run(dir, "--format", "ini", "-c", "services.conf")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: services.conf: unknown config format 'ini' (known formats: toml, yaml)", c.stderr().strip());
        }
        Configs.write(dir, "c.yml", "service:\n  - name: a\n    command: touch\n    args: [from-neutral-variable]\n");
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_CONFIG", "c.yml"))) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(Files.exists(dir.resolve("from-neutral-variable")));
        }
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_CONFIG_TOML", "c.yml"))) {
            assertEquals(0, c.exitCode(), "CARNIVAL_CONFIG_TOML works for any format with a known extension: " + c.stderr());
        }
    }
}
