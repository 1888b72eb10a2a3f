package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example third-party plugin (examples/plugin-backoff), loaded by the real command from its build output. */
class BackoffPluginIT {
    private static final Pattern EVENT = Pattern.compile("\"event\":\"([a-z-]+)\"");
    private static final Pattern DELAY = Pattern.compile("\"delayMs\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void failureWindowGivesUpAfterMaxFailuresAndTheJsonListenerRecordsEveryEventInOrder() {
        Configs.write(dir, "c.toml", """
                [[service]]
                name = "crashy"
                command = "sh"
                args = ["-c", "exit 3"]
                restart = "failure-window"
                restart-delay-ms = 20
                [service.restart-options]
                max-failures = 5
                window-ms = 600000
                """);
        Path events = dir.resolve("events.jsonl");
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_EVENTS_FILE", events.toString()),
                "--plugin-path", FormatsIT.BACKOFF_JARS.toString(), "-c", "c.toml")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stderr().contains("crashy[0] restarting in 20ms (restart 4)"), c.stderr());
            assertTrue(c.stderr().contains(
                    "crashy[0] not restarting (policy: failure-window (5 failures within 600000 ms))"), c.stderr());
        }
        List<String> lines = Configs.read(events).lines().toList();
        List<String> kinds = lines.stream().map(l -> match(EVENT, l)).toList();
        List<String> expected = new java.util.ArrayList<>();
        expected.add("supervisor-started");
        for (int run = 1; run <= 5; run++) {
            expected.add("process-started");
            expected.add("process-exited");
            expected.add(run < 5 ? "restart-scheduled" : "replica-stopped");
        }
        expected.add("supervisor-stopped");
        assertEquals(expected, kinds, String.join("\n", lines));
        assertEquals(List.of("20", "20", "20", "20"),
                lines.stream().filter(l -> l.contains("restart-scheduled")).map(l -> match(DELAY, l)).toList());
        assertTrue(lines.get(2).contains("\"exitCode\":3"), lines.get(2));
        assertTrue(lines.get(lines.size() - 2).contains("\"reason\":\"policy\""), lines.get(lines.size() - 2));
    }

    @Test
    void badPolicyOptionStopsCarnivalBeforeAnythingStarts() {
        Configs.write(dir, "c.toml", """
                [[service]]
                name = "s"
                command = "touch"
                args = ["ran"]
                restart = "failure-window"
                [service.restart-options]
                max-failures = 0
                """);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "--plugin-path", FormatsIT.BACKOFF_JARS.toString(), "-c", "c.toml")) {
            assertEquals(2, c.exitCode());
            assertTrue(c.stderr().startsWith("carnival: c.toml:6:1: "), c.stderr());
            assertTrue(c.stderr().contains("max-failures"), c.stderr());
            assertEquals(1, c.stderr().lines().count(), c.stderr());
            assertTrue(!dir.resolve("ran").toFile().exists());
        }
    }

    private static String match(Pattern p, String line) {
        Matcher m = p.matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }
}
