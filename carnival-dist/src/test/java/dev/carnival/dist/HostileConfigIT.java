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

/**
 * Issue 15, items 1-8: input a hostile user or an unlucky operator gives the real command is one
 * clear line and exit 2 (or loads, when the limits admit it), never exit 70, a hang or silence.
 */
class HostileConfigIT {
    private static final String LONG_DEFAULT = "echo " + "x".repeat(250) + " > started";

    @TempDir
    Path dir;

    /** Runs {@code carnival check} (or a run, with no "check") on {@code file} and returns it, exited. */
    private CarnivalProcess carnival(Map<String, String> env, String... args) {
        return CarnivalProcess.run(dir, env, args);
    }

    /** Exit 2, exactly one line starting with {@code where} and containing {@code what}, no stack trace. */
    private static void oneLine(CarnivalProcess c, String where, String what) {
        assertEquals(2, c.exitCode(), c.stderr());
        List<String> lines = c.stderr().lines().toList();
        assertEquals(1, lines.size(), "expected one line, got:\n" + c.stderr());
        assertTrue(lines.getFirst().startsWith("carnival: " + where), lines.getFirst());
        assertTrue(lines.getFirst().contains(what), "expected '" + what + "' in: " + lines.getFirst());
        c.assertNoStackTrace();
    }

    // ---- 1: interpolation of any length --------------------------------------------------

    static Stream<Arguments> longDefaults() {
        return Stream.of(
                Arguments.of("c.toml", "[[service]]\nname = \"a\"\ncommand = \"sh\"\nargs = [\"-c\", \"${START_CMD:-"
                        + LONG_DEFAULT + "}\"]\n"),
                Arguments.of("c.yaml", "service:\n  - name: a\n    command: sh\n    args: [\"-c\", \"${START_CMD:-"
                        + LONG_DEFAULT + "}\"]\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longDefaults")
    void aLongDefaultIsExpandedInCheckAndInARun(String file, String config) {
        Configs.write(dir, file, config);
        try (CarnivalProcess c = carnival(Map.of(), "check", "-c", file)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stdout().contains("x".repeat(250)), c.stdout());
        }
        try (CarnivalProcess c = carnival(Map.of(), "-c", file)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals("x".repeat(250) + "\n", Configs.read(dir.resolve("started")));
        }
        try (CarnivalProcess c = carnival(Map.of("START_CMD", "echo set > started"), "-c", file)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals("set\n", Configs.read(dir.resolve("started")));
        }
    }

    // ---- 2: every file the size limit admits loads ---------------------------------------

    static Stream<Arguments> largeConfigs() {
        StringBuilder services = new StringBuilder();
        StringBuilder yaml = new StringBuilder("service:\n");
        for (int i = 0; i < 10_000; i++) {
            services.append("[[service]]\nname = \"s").append(i).append("\"\ncommand = \"true\"\n");
            yaml.append("  - name: s").append(i).append("\n    command: \"true\"\n");
        }
        String oneService = "[[service]]\nname = \"a\"\ncommand = \"true\"\n";
        String args = oneService + "args = [" + String.join(",", java.util.Collections.nCopies(100_000, "\"a\"")) + "]\n";
        String padding = oneService + "# " + "p".repeat(900 * 1024) + "\n";
        return Stream.of(
                Arguments.of("10,000 services", "c.toml", services.toString()),
                Arguments.of("10,000 services as YAML", "c.yaml", yaml.toString()),
                Arguments.of("a 200,000-character string", "c.toml", oneService.replace("\"true\"", "\"" + "t".repeat(200_000) + "\"")),
                Arguments.of("100,000 args", "c.toml", args),
                Arguments.of("900 KiB", "c.toml", padding));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("largeConfigs")
    void aLargeConfigUnderTheLimitLoads(String name, String file, String config) {
        Configs.write(dir, file, config);
        try (CarnivalProcess c = carnival(Map.of(), "check", "-c", file)) {
            int exit = c.exitCode();
            c.assertNoStackTrace();
            // A 200,000-character command is not on PATH: that is a preflight finding, not a crash.
            if (name.contains("string")) {
                assertEquals(2, exit, c.stderr());
                assertTrue(c.stderr().contains("not found on PATH"), c.stderr());
                assertTrue(c.stderr().length() < 2000, "one short line: " + c.stderr().length() + " characters");
            } else {
                assertEquals(0, exit, c.stderr());
            }
        }
    }

    // ---- 3: the read limit holds for bytes read; a FIFO waits, and a signal ends it -------

    @Test
    void devicesStopAtTheLimit() {
        try (CarnivalProcess c = carnival(Map.of(), "check", "-c", "/dev/zero", "--format", "toml")) {
            oneLine(c, "/dev/zero: ", "config file is over the limit of 1048576 bytes (1 MiB)");
        }
        try (CarnivalProcess c = carnival(Map.of(), "check", "-c", "/dev/urandom", "--format", "yaml")) {
            oneLine(c, "/dev/urandom: ", "config file is over the limit of 1048576 bytes (1 MiB)");
        }
    }

    @Test
    void anEndlessPipeOnStdinStopsAtTheLimit() {
        try (CarnivalProcess c = CarnivalProcess.startWrapped(List.of("sh", "-c", "yes | exec \"$0\" \"$@\""), dir, Map.of(),
                "check", "-c", "/dev/stdin", "--format", "toml")) {
            oneLine(c, "/dev/stdin: ", "config file is over the limit of 1048576 bytes (1 MiB)");
        }
    }

    @Test
    void aFifoWithoutAWriterWaitsAndASignalEndsItWithALine() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Path fifo = dir.resolve("config-" + signal + ".fifo");
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
            try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of(), "check", "-c", fifo.getFileName().toString(),
                    "--format", "toml")) {
                Await.until("carnival blocked opening the FIFO", () -> waitsForAWriter(c.pid()));
                c.signal(signal);
                int exit = c.exitCode();
                assertEquals(signal.equals("TERM") ? 143 : 130, exit, c.stderr());
                assertEquals("carnival: " + fifo.getFileName() + ": stopped by a signal while waiting for the config file"
                        + " to be written and closed (it is not a regular file)", c.stderr().strip());
            }
        }
    }

    /** True once a thread of {@code pid} sleeps in the kernel's FIFO open, waiting for the other end. */
    private static boolean waitsForAWriter(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.anyMatch(t -> {
                try {
                    String wchan = Files.readString(t.resolve("wchan"));
                    return wchan.contains("partner") || wchan.contains("fifo");
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    // ---- 4-8: one line with its location --------------------------------------------------

    static Stream<Arguments> badConfigs() {
        String svc = "[[service]]\nname = \"a\"\n";
        return Stream.of(
                Arguments.of("NUL in a command", "c.toml", svc + "command = \"tr\\u0000ue\"\n",
                        "c.toml:3:1: ", "'command' in [[service]] 'a' must not contain a NUL character"),
                Arguments.of("NUL in a working dir", "c.toml", svc + "command = \"true\"\nworking-dir = \"/tmp\\u0000/x\"\n",
                        "c.toml:4:1: ", "'working-dir' in [[service]] 'a' must not contain a NUL character"),
                Arguments.of("NUL in an argument", "c.toml", svc + "command = \"true\"\nargs = [\"x\\u0000y\"]\n",
                        "c.toml:4:9: ", "'args' in [[service]] 'a' must not contain a NUL character"),
                Arguments.of("NUL in YAML", "c.yaml", "service:\n  - name: a\n    command: \"/bin/true\\0\"\n",
                        "c.yaml:3:5: ", "'command' in [[service]] 'a' must not contain a NUL character"),
                Arguments.of("TOML nested 200 deep", "c.toml", "x = " + "[".repeat(200) + "]".repeat(200) + "\n",
                        "c.toml:1:68: ", "TOML nested deeper than 64 levels"),
                Arguments.of("YAML nested 200 deep", "c.yaml", "x: " + "[".repeat(200) + "]".repeat(200) + "\n",
                        "c.yaml:1:67: ", "YAML nested deeper than 64 levels"),
                Arguments.of("TOML dotted keys 200 deep", "c.toml", "k" + ".k".repeat(200) + " = 1\n",
                        "c.toml:1:", "TOML nested deeper than 64 levels"),
                Arguments.of("a restart delay past the maximum", "c.toml", svc + "command = \"true\"\nrestart-delay-ms = 9223372036855\n",
                        "c.toml:4:1: ", "'restart-delay-ms' in [[service]] 'a' is too large: 9223372036855 (the most is 604800000, 7 days)"),
                Arguments.of("the largest long as a stop timeout", "c.toml", svc + "command = \"true\"\nstop-timeout-ms = 9223372036854775807\n",
                        "c.toml:4:1: ", "is too large"),
                Arguments.of("a name forging a log line", "c.toml",
                        "[[service]]\nname = \"a\\n2026-01-01 00:00:00 [ERROR] forged\\u001b[2J\"\ncommand = \"true\"\n",
                        "c.toml:2:1: ", "'name' in [[service]] #1 must not contain control characters, found '\\n' at character 2"),
                Arguments.of("a 100 KB key", "c.toml", "k".repeat(100_000) + " = 1\n",
                        "c.toml:1:1: ", "unknown key 'kkkk"),
                Arguments.of("a control character in YAML", "c.yaml", "service:\n  - name: a\u0001b\n    command: \"true\"\n",
                        "c.yaml:2:12: ", "invalid YAML: control character U+0001 is not allowed"),
                Arguments.of("a NUL character in YAML", "c.yaml", "service:\n  - name: a\n    command: tr\0ue\n",
                        "c.yaml:3:16: ", "invalid YAML: a NUL character is not allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badInputIsOneLineWithItsLocation(String name, String file, String config, String where, String what) {
        Configs.write(dir, file, config);
        for (String command : List.of("check", "run")) {
            List<String> args = command.equals("check") ? List.of("check", "-c", file) : List.of("-c", file);
            try (CarnivalProcess c = carnival(Map.of(), args.toArray(String[]::new))) {
                oneLine(c, where, what);
                assertTrue(c.stderr().length() < 400, "a short line: " + c.stderr());
                assertTrue(c.stderr().chars().noneMatch(ch -> ch < 0x20 && ch != '\n'), "no control characters: " + c.stderr());
            }
        }
    }
}
