package dev.carnival.plugins.consolelog;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/**
 * One log call as one JSON object, for {@code log-format = "json"}: {@code time} (UTC, ISO 8601
 * with milliseconds), {@code level}, {@code message}, then the call's key-value pairs (the event's
 * fields: service, replica, pid, code, signal...), and {@code error} with the stack trace of a
 * throwable. Numbers and booleans stay numbers and booleans; anything else is its string.
 */
final class JsonLine {
    private JsonLine() {}

    static String format(long millis, Level level, String message, List<KeyValuePair> fields, Throwable throwable) {
        StringBuilder b = new StringBuilder(128 + message.length());
        b.append("{\"time\":\"").append(time(millis)).append("\",\"level\":\"").append(level).append("\",\"message\":");
        string(b, message);
        if (fields != null) {
            for (KeyValuePair kv : fields) {
                b.append(',');
                string(b, kv.key);
                b.append(':');
                if (kv.value instanceof Number || kv.value instanceof Boolean) {
                    b.append(kv.value);
                } else {
                    string(b, String.valueOf(kv.value));
                }
            }
        }
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            b.append(",\"error\":");
            string(b, trace.toString());
        }
        return b.append("}\n").toString();
    }

    static String time(long millis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(24);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        return pad(b, (int) Math.floorMod(millis, 1000L), 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }

    /** A JSON string: quotes, backslashes, control characters and lone surrogates escaped. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        b.append("\\u");
                        for (int shift = 12; shift >= 0; shift -= 4) {
                            b.append(Character.forDigit(c >> shift & 0xf, 16));
                        }
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
