package dev.carnival.plugins.consolelog;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.List;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/**
 * Writes {@code yyyy-MM-dd HH:mm:ss [LEVEL] message}, in the default time zone, and the stack
 * trace of a throwable after it: slf4j-simple's line with the settings Carnival gave it. The
 * date is formatted by hand, once per second: SimpleDateFormat's first use (Calendar, locale
 * data, DecimalFormat) was the largest part of the first log call.
 */
final class LogLine {
    /** Carnival's stderr, looked up per line as slf4j-simple did, so that {@code System.setErr} applies. */
    static final LogLine SYSTEM = new LogLine(() -> System.err, System::currentTimeMillis, SystemZone::get);

    private final Supplier<PrintStream> stream;
    private final LongSupplier clock;
    private final Supplier<TimeZone> zones;
    private TimeZone zone;
    private long second = Long.MIN_VALUE;
    private String stamp;

    LogLine(Supplier<PrintStream> stream, LongSupplier clock, Supplier<TimeZone> zone) {
        this.stream = stream;
        this.clock = clock;
        this.zones = zone;
    }

    void write(Level level, String message, Throwable throwable) {
        write(level, message, null, throwable);
    }

    /**
     * One line: text, or JSON when {@value ConsoleLogProvider#FORMAT_PROPERTY} is {@code json}
     * (read at each line: the command learns the format from the config after logging started).
     * Text leaves {@code fields} out, as slf4j-simple did.
     */
    void write(Level level, String message, List<KeyValuePair> fields, Throwable throwable) {
        PrintStream out = stream.get();
        boolean json = "json".equals(System.getProperty(ConsoleLogProvider.FORMAT_PROPERTY));
        String line;
        if (json) {
            line = JsonLine.format(clock.getAsLong(), level, message, fields, throwable);
            throwable = null;
        } else {
            synchronized (this) {
                line = stamp(clock.getAsLong()) + " [" + level + "] " + message + "\n";
            }
        }
        // One print of a whole line: the stream flushes it with one write, so lines never tear.
        synchronized (out) {
            out.print(line);
            if (throwable != null) {
                throwable.printStackTrace(out);
            }
            out.flush();
        }
    }

    /** The time as {@code yyyy-MM-dd HH:mm:ss}, reusing the last one within the same second. */
    private String stamp(long millis) {
        long s = Math.floorDiv(millis, 1000);
        if (s != second) {
            if (zone == null) {
                zone = zones.get();
            }
            int offset = zone.getOffset(millis) / 1000;
            LocalDateTime t = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.ofTotalSeconds(offset));
            StringBuilder b = new StringBuilder(19);
            pad(b, t.getYear(), 4).append('-');
            pad(b, t.getMonthValue(), 2).append('-');
            pad(b, t.getDayOfMonth(), 2).append(' ');
            pad(b, t.getHour(), 2).append(':');
            pad(b, t.getMinute(), 2).append(':');
            pad(b, t.getSecond(), 2);
            stamp = b.toString();
            second = s;
        }
        return stamp;
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }
}
