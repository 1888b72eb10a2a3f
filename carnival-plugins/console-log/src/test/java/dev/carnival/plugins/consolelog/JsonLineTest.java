package dev.carnival.plugins.consolelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class JsonLineTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @AfterEach
    void textAgain() {
        System.clearProperty(ConsoleLogProvider.FORMAT_PROPERTY);
    }

    @Test
    void aFluentCallBecomesOneObjectWithItsFields() {
        System.setProperty(ConsoleLogProvider.FORMAT_PROPERTY, "json");
        ConsoleLogger log = new ConsoleLogger("carnival", Level.INFO.toInt(),
                new LogLine(() -> stream, () -> 1_796_605_323_456L, () -> TimeZone.getTimeZone("Europe/Helsinki")));
        log.atWarn().addKeyValue("service", "web \"x\"").addKeyValue("replica", 0).addKeyValue("pid", 42L)
                .addKeyValue("signal", "SIGKILL").log("{} exited\twith {}", "web[0]", "signal 9");
        log.atDebug().addKeyValue("hidden", true).log("below the threshold");
        assertEquals("{\"time\":\"2026-12-07T01:02:03.456Z\",\"level\":\"WARN\",\"message\":\"web[0] exited\\twith signal 9\","
                + "\"service\":\"web \\\"x\\\"\",\"replica\":0,\"pid\":42,\"signal\":\"SIGKILL\"}\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPlainCallAndAThrowableToo() {
        System.setProperty(ConsoleLogProvider.FORMAT_PROPERTY, "json");
        ConsoleLogger log = new ConsoleLogger("carnival", Level.INFO.toInt(),
                new LogLine(() -> stream, () -> 0L, () -> TimeZone.getTimeZone("UTC")));
        log.error("failed: {}", "x\u0001\ud800", new IllegalStateException("boom"));
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("{\"time\":\"1970-01-01T00:00:00.000Z\",\"level\":\"ERROR\","
                + "\"message\":\"failed: x\\u0001\\ud800\",\"error\":\"java.lang.IllegalStateException: boom\\n"), line);
        assertEquals(1, line.lines().count(), "the stack trace is inside the one line");
    }

    @Test
    void textLeavesTheFieldsOut() {
        ConsoleLogger log = new ConsoleLogger("carnival", Level.INFO.toInt(),
                new LogLine(() -> stream, () -> 0L, () -> TimeZone.getTimeZone("UTC")));
        log.atInfo().addKeyValue("service", "web").log("{} started", "web[0]");
        assertEquals("1970-01-01 00:00:00 [INFO] web[0] started\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
