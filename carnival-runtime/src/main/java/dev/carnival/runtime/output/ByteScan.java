package dev.carnival.runtime.output;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes in captured output eight at a time: every byte a service writes is looked at, and
 * byte by byte that is the larger part of a captured line's cost. Each test below sets the high
 * bit of a byte that matches; a match can also set it in the bytes after it (a borrow), never
 * before, so the lowest one set is the first match.
 */
final class ByteScan {
    // Little-endian, so that the lowest bits are the first byte.
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
    private static final long SPACES = 0x2020202020202020L;

    private ByteScan() {}

    /** The index of the first {@code \n} in {@code [from, to)}, or -1. */
    static int newline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long match = zeros((long) LONGS.get(bytes, i) ^ NEWLINES);
            if (match != 0) {
                return i + (Long.numberOfTrailingZeros(match) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first byte in {@code [from, to)} that a JSON string cannot hold as it is
     * (below 0x20, a quote, a backslash) or that is not ASCII, or {@code to}.
     */
    static int special(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long w = (long) LONGS.get(bytes, i);
            long match = (w | (w - SPACES) & ~w | zeros(w ^ QUOTES) | zeros(w ^ BACKSLASHES)) & HIGHS;
            if (match != 0) {
                return i + (Long.numberOfTrailingZeros(match) >>> 3);
            }
        }
        for (; i < to; i++) {
            int b = bytes[i];
            if (b < 0x20 || b == '"' || b == '\\') { // a negative byte is not ASCII
                return i;
            }
        }
        return to;
    }

    /** The high bit of each zero byte of {@code w} (and maybe of bytes after one). */
    private static long zeros(long w) {
        return (w - ONES) & ~w & HIGHS;
    }
}
