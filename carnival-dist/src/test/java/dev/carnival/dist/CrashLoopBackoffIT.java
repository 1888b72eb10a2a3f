package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import java.util.ArrayList;

/** The built-in policies' crash-loop backoff, as the log shows it. */
@Tag(ImageHarness.JDK_FALLBACK)
class CrashLoopBackoffIT {
    private static final Pattern RESTARTING = Pattern.compile("(\\w+)\\[0\\] restarting in (\\d+)ms \\(restart (\\d+)\\)");

    @TempDir
    Path dir;

    private static final Map<String, String> GROWS = Map.of("toml", """
            [[service]]
            name = "crashy"
            command = "sh"
            args = ["-c", "exit 3"]
            restart = "on-failure"
            restart-delay-ms = 100
            restart-limit = 7
            [service.restart-options]
            backoff = 2
            max-delay-ms = 800
            """, "yaml", """
            service:
              - name: crashy
                command: sh
                args: [-c, exit 3]
                restart: on-failure
                restart-delay-ms: 100
                restart-limit: 7
                restart-options: { backoff: 2, max-delay-ms: 800 }
            """);

    @ParameterizedTest
    @ValueSource(strings = {"toml", "yaml"})
    void delaysDoubleFromRestartDelayUpToMaxDelay(String format) {
        Configs.write(dir, "c." + format, GROWS.get(format));
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c." + format)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(List.of(100L, 200L, 400L, 800L, 800L, 800L), delays(c.stderr(), "crashy"), c.stderr());
        }
    }

    /** Run 3 lasts longer than reset-after-ms: the delay after it starts over at restart-delay-ms. */
    private static final Map<String, String> RESETS = Map.of("toml", """
            [[service]]
            name = "crashy"
            command = "sh"
            args = ["-c", "[ $CARNIVAL_RESTART_COUNT -eq 2 ] && sleep 1; exit 1"]
            restart = "always"
            restart-delay-ms = 50
            restart-limit = 5
            [service.restart-options]
            backoff = 3
            reset-after-ms = 700
            """, "yaml", """
            service:
              - name: crashy
                command: sh
                args: [-c, "[ $CARNIVAL_RESTART_COUNT -eq 2 ] && sleep 1; exit 1"]
                restart: always
                restart-delay-ms: 50
                restart-limit: 5
                restart-options:
                  backoff: 3
                  reset-after-ms: 700
            """);

    @ParameterizedTest
    @ValueSource(strings = {"toml", "yaml"})
    void aRunLastingResetAfterStartsTheDelaysOver(String format) {
        Configs.write(dir, "c." + format, RESETS.get(format));
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c." + format)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(List.of(50L, 150L, 50L, 150L), delays(c.stderr(), "crashy"), c.stderr());
        }
    }

    /** The delay of each "restarting in N ms" line of {@code service}, checking they come in restart order. */
    private static List<Long> delays(String log, String service) {
        List<Long> delays = new ArrayList<>();
        Matcher m = RESTARTING.matcher(log);
        while (m.find()) {
            if (m.group(1).equals(service)) {
                assertEquals(delays.size() + 1, Integer.parseInt(m.group(3)), log);
                delays.add(Long.parseLong(m.group(2)));
            }
        }
        return delays;
    }
}
