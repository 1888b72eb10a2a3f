package dev.carnival.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutated configs through {@code carnival check}, in this JVM through the command's own entry
 * point, on a thread with the launcher's 256 KiB stack: every one must end with exit 0 or 2,
 * every message line short and free of control characters, never an internal error, a stack
 * trace or a hang. A fixed seed, so a failure names a case that can be run again.
 */
class ConfigFuzzTest {
    private static final long SEED = 0x15_c0ff1eL;
    private static final int CASES_PER_FORMAT = 300;
    /** Far above any case's need; only a hang comes near it. */
    private static final long CASE_TIMEOUT_MS = 60_000;

    private static final String TOML = """
            [global]
            shutdown-timeout-ms = "${SHUTDOWN:-500}"
            output = "prefix"

            [[init]]
            command = "true"
            args = ["-x", 3]

            [[service]]
            name = "web-${NAME:-a}"
            command = "sh"
            args = ["-c", "echo $CARNIVAL_REPLICA_ID ${GREETING:-hi}"]
            replicas = 2
            restart = "on-failure"
            restart-delay-ms = 100
            restart_limit = "3"
            stop-signal = "SIGINT"
            working-dir = "/tmp"
            critical = true
            [service.restart-options]

            [[service]]
            name = "b"
            command = "true"
            output = { x = [1, [2, [3]], "s", 1.5, true, 1979-05-27] }
            """;

    private static final String YAML = """
            global:
              shutdown-timeout-ms: "${SHUTDOWN:-500}"
              output: prefix
            init:
              - command: "true"
                args: ["-x", 3]
            service:
              - name: web-${NAME:-a}
                command: sh
                args: ["-c", "echo $CARNIVAL_REPLICA_ID ${GREETING:-hi}"]
                replicas: 2
                restart: on-failure
                restart-delay-ms: 100
                restart_limit: "3"
                stop-signal: SIGINT
                working-dir: /tmp
                critical: true
                restart-options: {}
              - name: b
                command: "true"
                output: {x: [1, [2, [3]], 's', 1.5, true, ~, !!str 3]}
            """;

    /** Fragments that reach the corners: nesting, escapes, interpolation, huge numbers, control characters. */
    private static final List<String> FRAGMENTS = List.of(
            "[", "]", "{", "}", "\"", "'", "\"\"\"", "'''", "\\", "\\u0000", "\\u001b", "\\0", "\0", "\u0001", "\u001b[2J",
            "\n", "\r\n", "\t", "#", "=", ":", ",", ".", "-", "_", "- ", "? ", "&a ", "*a", "<<: ", "!!binary ", "!tag ",
            "${", "${A:-", "$A", "}", "9223372036854775807", "-1", "1e309", "0x7f", "nan", "inf", "1979-05-27T07:32:00Z",
            "[[service]]\n", "[global]\n", "name = ", "command = ", "restart-delay-ms = ", "replicas = ",
            "[".repeat(300), "{ a = ".repeat(100), "- ".repeat(200), "x".repeat(5000), "${A:-" + "y".repeat(400) + "}",
            "é", "\uD83D\uDE00", "\uFEFF", "\u202e", "\u2028");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"toml", "yaml"})
    void mutatedConfigsEndInExitZeroOrTwo(String format) throws Exception {
        Random random = new Random(SEED ^ format.hashCode());
        List<String> seeds = new ArrayList<>(List.of(format.equals("toml") ? TOML : YAML));
        Path example = Path.of("../examples/example." + format);
        if (Files.exists(example)) {
            seeds.add(Files.readString(example));
        }
        Path file = dir.resolve("fuzz." + format);
        Map<Integer, AtomicInteger> exits = Map.of(0, new AtomicInteger(), 2, new AtomicInteger());
        for (int i = 0; i < CASES_PER_FORMAT; i++) {
            String text = mutate(seeds.get(random.nextInt(seeds.size())), random);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            String name = format + " case " + i + " (seed " + SEED + ")";
            Outcome outcome = check(file, name);
            assertTrue(outcome.exit() == 0 || outcome.exit() == 2,
                    name + ": exit " + outcome.exit() + "\n" + outcome.err() + "\nconfig:\n" + shorten(text));
            for (String line : outcome.err().lines().toList()) {
                assertTrue(line.length() <= 1100, name + ": a line of " + line.length() + " characters");
                assertTrue(line.chars().noneMatch(c -> c < 0x20 && c != '\t'), name + ": a control character in " + line);
                assertTrue(!line.contains("internal error") && !line.startsWith("\tat "), name + ": " + line);
            }
            exits.get(outcome.exit()).incrementAndGet();
        }
        System.out.printf("ConfigFuzzTest %s: %d cases, %d exit 0, %d exit 2%n",
                format, CASES_PER_FORMAT, exits.get(0).get(), exits.get(2).get());
        assertEquals(CASES_PER_FORMAT, exits.get(0).get() + exits.get(2).get());
    }

    private record Outcome(int exit, String err) {}

    /** One {@code carnival check}, on a thread with the launcher's stack size, within the timeout. */
    private static Outcome check(Path file, String name) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] exit = {-1};
        Throwable[] thrown = {null};
        Thread t = new Thread(null, () -> {
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                exit[0] = Main.run(List.of("check", "-c", file.toString()), Map.of("A", "1", "PATH", "/usr/bin:/bin"), o, e);
            } catch (Throwable x) {
                thrown[0] = x;
            }
        }, "fuzz", 256 * 1024);
        t.start();
        t.join(CASE_TIMEOUT_MS);
        if (t.isAlive()) {
            fail(name + ": still running after " + CASE_TIMEOUT_MS + " ms");
        }
        if (thrown[0] != null) {
            fail(name + ": threw " + thrown[0]);
        }
        return new Outcome(exit[0], err.toString(StandardCharsets.UTF_8));
    }

    /** One to four edits: insert a fragment, delete, duplicate or move a range, flip a character. */
    private static String mutate(String seed, Random random) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length());
            int len = Math.min(s.length() - at, 1 + random.nextInt(40));
            switch (random.nextInt(5)) {
                case 0, 1 -> s.insert(at, FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
                case 2 -> s.delete(at, at + len);
                case 3 -> s.insert(random.nextInt(s.length() + 1), s.substring(at, at + len));
                default -> {
                    if (!s.isEmpty()) {
                        s.setCharAt(at, (char) random.nextInt(0x80));
                    }
                }
            }
        }
        return s.toString();
    }

    private static String shorten(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }
}
