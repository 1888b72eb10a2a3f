package dev.carnival.runtime.output;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@code 2026-12-07T01:02:03.456Z}, formatted by hand and the date and time reused within the same
 * second: java.time.format is some 50 classes that a config without timestamps never needs, and a
 * busy stream stamps every line. Not thread-safe: one per stream.
 */
final class UtcStamp {
    /** Bytes of a stamp. */
    static final int LENGTH = 24;

    private long second = Long.MIN_VALUE;
    private final byte[] stamp = new byte[LENGTH];

    /** The stamp of {@code millis} (epoch milliseconds), valid until the next call. */
    byte[] format(long millis) {
        long s = Math.floorDiv(millis, 1000);
        if (s != second) {
            second = s;
            LocalDateTime t = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC);
            String text = pad(t.getYear(), 4) + "-" + pad(t.getMonthValue(), 2) + "-" + pad(t.getDayOfMonth(), 2)
                    + "T" + pad(t.getHour(), 2) + ":" + pad(t.getMinute(), 2) + ":" + pad(t.getSecond(), 2) + ".000Z";
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, stamp, 0, LENGTH);
        }
        int ms = (int) Math.floorMod(millis, 1000L);
        stamp[20] = (byte) ('0' + ms / 100);
        stamp[21] = (byte) ('0' + ms / 10 % 10);
        stamp[22] = (byte) ('0' + ms % 10);
        return stamp;
    }

    private static String pad(int value, int width) {
        String digits = Integer.toString(value);
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
