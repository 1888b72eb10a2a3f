package dev.carnival.dist;

import static dev.carnival.dist.Configs.ONE_TRUE_SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad configs: exit code 2, one clear line naming what and where, no stack trace, nothing started. */
class ConfigErrorsIT {
    @TempDir
    Path dir;

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("malformed TOML", "[[service]\nname = \"a\"\n", "bad.toml:1:", "invalid TOML"),
                Arguments.of("unknown service key", ONE_TRUE_SERVICE + "replica = 2\n",
                        "bad.toml:4:1: ", "unknown key 'replica' in [[service]] 'a'"),
                Arguments.of("unknown top-level table", "[globl]\nx = 1\n" + ONE_TRUE_SERVICE,
                        "bad.toml:1:", "unknown key 'globl' in the top level"),
                Arguments.of("unknown global key", "[global]\nshutdown-timeout = 5\n" + ONE_TRUE_SERVICE,
                        "bad.toml:2:1: ", "unknown key 'shutdown-timeout' in [global]"),
                Arguments.of("unknown init key", "[[init]]\ncommand = \"true\"\nargz = []\n",
                        "bad.toml:3:1: ", "unknown key 'argz' in [[init]] #1"),
                Arguments.of("wrong type", ONE_TRUE_SERVICE + "replicas = true\n",
                        "bad.toml:4:", "'replicas' in [[service]] 'a' must be a whole number >= 0, got a boolean"),
                Arguments.of("negative number", ONE_TRUE_SERVICE + "restart-limit = -1\n",
                        "bad.toml:4:", "'restart-limit' in [[service]] 'a' must be a whole number >= 0, got -1"),
                Arguments.of("non-numeric string", ONE_TRUE_SERVICE + "restart-delay-ms = \"soon\"\n",
                        "bad.toml:4:", "must be a number of milliseconds >= 0, got 'soon'"),
                Arguments.of("unset variable in a number", ONE_TRUE_SERVICE + "replicas = \"${CARNIVAL_TEST_UNSET_VAR}\"\n",
                        "bad.toml:4:", "got '${CARNIVAL_TEST_UNSET_VAR}'"),
                Arguments.of("float where integer", ONE_TRUE_SERVICE + "replicas = 1.5\n",
                        "bad.toml:4:", "got a float"),
                Arguments.of("unknown restart policy", ONE_TRUE_SERVICE + "restart = \"sometimes\"\n",
                        "bad.toml:4:", "unknown restart policy 'sometimes' for service 'a' (known policies: always, no, on-failure)"),
                Arguments.of("unknown restart option", ONE_TRUE_SERVICE + "restart = \"always\"\n[service.restart-options]\nfactor = 2\n",
                        "bad.toml:", "unknown restart option 'factor' for policy 'always' of service 'a'"),
                Arguments.of("unknown stop signal", ONE_TRUE_SERVICE + "stop-signal = \"SIGFOO\"\n",
                        "bad.toml:4:", "unknown signal 'SIGFOO'"),
                Arguments.of("missing name", "[[service]]\ncommand = \"true\"\n",
                        "bad.toml:1:", "[[service]] #1 has no 'name'"),
                Arguments.of("empty name", "[[service]]\nname = \"\"\ncommand = \"true\"\n",
                        "bad.toml:2:", "'name' in [[service]] #1 must not be empty"),
                Arguments.of("missing command", "[[service]]\nname = \"a\"\n",
                        "bad.toml:1:", "[[service]] 'a' has no 'command'"),
                Arguments.of("init without command", "[[init]]\nargs = [\"x\"]\n",
                        "bad.toml:1:", "[[init]] #1 has no 'command'"),
                Arguments.of("duplicate service names", ONE_TRUE_SERVICE + ONE_TRUE_SERVICE,
                        "bad.toml:5:", "duplicate service name 'a' (first defined at "),
                Arguments.of("kebab and snake for one key", ONE_TRUE_SERVICE + "restart-limit = 1\nrestart_limit = 2\n",
                        "bad.toml:5:", "'restart-limit' and 'restart_limit' in [[service]] #1 are the same key"),
                Arguments.of("args not an array", ONE_TRUE_SERVICE + "args = \"-x\"\n",
                        "bad.toml:4:", "'args' in [[service]] 'a' must be an array of strings, got a string"),
                Arguments.of("critical not boolean", ONE_TRUE_SERVICE + "critical = \"maybe\"\n",
                        "bad.toml:4:", "'critical' in [[service]] 'a' must be true or false, got 'maybe'"),
                Arguments.of("service not an array of tables", "service = \"web\"\n",
                        "bad.toml:1:", "'service' must be an array of tables ([[service]]), got a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigIsOneLineAndExitCode2(String name, String toml, String where, String what) {
        Path marker = dir.resolve("started");
        Configs.write(dir, "bad.toml", toml);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "bad.toml")) {
            assertEquals(2, c.exitCode(), c.stderr());
            List<String> lines = c.stderr().lines().toList();
            assertEquals(1, lines.size(), "expected exactly one line, got:\n" + c.stderr());
            String line = lines.getFirst();
            assertTrue(line.startsWith("carnival: " + where), line);
            assertTrue(line.contains(what), "expected '" + what + "' in: " + line);
            c.assertNoStackTrace();
            assertTrue(Files.notExists(marker));
        }
    }

    @Test
    void missingConfigFile() {
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "nope.toml")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: nope.toml: config file not found", c.stderr().strip());
        }
    }

    @Test
    void unknownExtensionNamesTheKnownFormats() {
        Configs.write(dir, "carnival.ini", ONE_TRUE_SERVICE);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "carnival.ini")) {
            assertEquals(2, c.exitCode());
            assertTrue(c.stderr().strip().startsWith("carnival: carnival.ini: cannot tell the config format from extension '.ini' (known formats: "),
                    c.stderr());
            assertTrue(c.stderr().contains("toml"), c.stderr());
        }
    }

    @Test
    void missingServiceCommandIsReportedBeforeAnythingRuns() {
        Configs.write(dir, "c.toml", "[[service]]\nname = \"a\"\ncommand = \"carnival-no-such-command\"\n"
                + "[[service]]\nname = \"b\"\ncommand = \"touch\"\nargs = [\"started\"]\n");
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c.toml")) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("c.toml:3:1: service 'a': command 'carnival-no-such-command' not found on PATH"),
                    c.stderr());
            c.assertNoStackTrace();
            assertTrue(Files.notExists(dir.resolve("started")), "no service may start");
        }
    }

    @Test
    void nonExecutableCommand() throws Exception {
        Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\ntrue\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        Configs.write(dir, "c.toml", "[[service]]\nname = \"a\"\ncommand = \"./script.sh\"\n");
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c.toml")) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("service 'a': command './script.sh' is not executable"), c.stderr());
            c.assertNoStackTrace();
        }
    }

    @Test
    void missingWorkingDirectory() {
        Configs.write(dir, "c.toml", "[[service]]\nname = \"a\"\ncommand = \"true\"\nworking-dir = \"/nonexistent/dir\"\n");
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c.toml")) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("c.toml:4:1: service 'a': working directory '/nonexistent/dir' does not exist"),
                    c.stderr());
        }
    }
}
