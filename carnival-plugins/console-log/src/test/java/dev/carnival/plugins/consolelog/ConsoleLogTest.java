package dev.carnival.plugins.consolelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class ConsoleLogTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong();

    private LogLine line(String zone) {
        return new LogLine(() -> stream, now::get, () -> TimeZone.getTimeZone(zone));
    }

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static long millis(String localTime, String zone) {
        return LocalDateTime.parse(localTime).atZone(ZoneId.of(zone)).toInstant().toEpochMilli();
    }

    @Test
    void aLineIsLocalTimeLevelInBracketsAndTheMessageAsSlf4jSimpleWroteIt() {
        now.set(millis("2026-03-07T09:05:03.999", "Europe/Helsinki"));
        new ConsoleLogger("carnival", Level.INFO.toInt(), line("Europe/Helsinki"))
                .info("{} started with PID {}", "web[0]", 42);
        assertEquals("2026-03-07 09:05:03 [INFO] web[0] started with PID 42\n", written());
    }

    @Test
    void theTimeFollowsTheZoneAcrossADaylightSavingChangeAndAYearEnd() {
        LogLine log = line("Europe/Helsinki");
        now.set(millis("2026-03-29T02:59:59", "Europe/Helsinki"));
        log.write(Level.WARN, "before", null);
        now.addAndGet(1000); // 03:00 EET is 04:00 EEST
        log.write(Level.ERROR, "after", null);
        now.set(millis("1999-12-31T23:59:59", "UTC"));
        LogLine utc = line("UTC");
        utc.write(Level.INFO, "y2k", null);
        assertEquals("2026-03-29 02:59:59 [WARN] before\n2026-03-29 04:00:00 [ERROR] after\n"
                + "1999-12-31 23:59:59 [INFO] y2k\n", written());
    }

    @Test
    void callsBelowTheThresholdWriteNothingAndOffWritesNothingAtAll() {
        ConsoleLogger warn = new ConsoleLogger("x", ConsoleLogProvider.threshold("WARN"), line("UTC"));
        warn.info("hidden");
        warn.debug("hidden");
        warn.warn("shown");
        assertFalse(warn.isInfoEnabled());
        assertTrue(warn.isWarnEnabled());
        ConsoleLogger off = new ConsoleLogger("x", ConsoleLogProvider.threshold("off"), line("UTC"));
        off.error("hidden");
        assertFalse(off.isErrorEnabled());
        assertEquals("1970-01-01 00:00:00 [WARN] shown\n", written());
    }

    @Test
    void unknownLevelNamesMeanInfoAsInSlf4jSimple() {
        assertEquals(Level.INFO.toInt(), ConsoleLogProvider.threshold("verbose"));
        assertEquals(Level.DEBUG.toInt(), ConsoleLogProvider.threshold(" Debug "));
    }

    @Test
    void aThrowableFollowsItsLineWithItsStackTrace() {
        new ConsoleLogger("x", Level.DEBUG.toInt(), line("UTC")).error("failed: {}", "boom", new IllegalStateException("why"));
        assertTrue(written().startsWith("1970-01-01 00:00:00 [ERROR] failed: boom\njava.lang.IllegalStateException: why\n\tat "),
                written());
    }
}
