package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Every read and write of native memory in process control, as bulk copies.
 *
 * <p>Why not {@code MemorySegment.get/set}: each accessor is a var handle, and start-up pays for
 * them on the way to the first spawn. The first one initialises {@code LayoutPath}, whose
 * initialiser spins seven method handles, and each further kind spins a few more, about 10 ms in
 * all. A copy between a segment and a Java array checks bounds and goes straight to Unsafe.
 */
final class Memory {
    private Memory() {}

    static int getInt(MemorySegment segment, long offset) {
        int[] value = new int[1];
        MemorySegment.copy(segment, JAVA_INT, offset, value, 0, 1);
        return value[0];
    }

    static void setInt(MemorySegment segment, long offset, int value) {
        MemorySegment.copy(new int[] {value}, 0, segment, JAVA_INT, offset, 1);
    }

    static long getLong(MemorySegment segment, long offset) {
        long[] value = new long[1];
        MemorySegment.copy(segment, JAVA_LONG, offset, value, 0, 1);
        return value[0];
    }

    static void setLong(MemorySegment segment, long offset, long value) {
        MemorySegment.copy(new long[] {value}, 0, segment, JAVA_LONG, offset, 1);
    }

    static void setShort(MemorySegment segment, long offset, short value) {
        MemorySegment.copy(new short[] {value}, 0, segment, JAVA_SHORT, offset, 1);
    }

    /** {@code count} shorts from {@code offset} into {@code into}. */
    static void getShorts(MemorySegment segment, long offset, short[] into, int count) {
        MemorySegment.copy(segment, JAVA_SHORT, offset, into, 0, count);
    }

    /** {@code values} written at {@code offset}, one after the other. */
    static void setInts(MemorySegment segment, long offset, int[] values) {
        MemorySegment.copy(values, 0, segment, JAVA_INT, offset, values.length);
    }

    static void setLongs(MemorySegment segment, long offset, long[] values) {
        MemorySegment.copy(values, 0, segment, JAVA_LONG, offset, values.length);
    }

    /** {@code bytes} and a NUL after them, at {@code offset} of a segment that has room for both. */
    static void setCString(MemorySegment segment, long offset, byte[] bytes) {
        MemorySegment.copy(bytes, 0, segment, JAVA_BYTE, offset, bytes.length);
        MemorySegment.copy(new byte[1], 0, segment, JAVA_BYTE, offset + bytes.length, 1);
    }

    /** {@code text} as a NUL-terminated UTF-8 string in {@code arena}. */
    static MemorySegment cString(Arena arena, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment segment = arena.allocate(bytes.length + 1L);
        setCString(segment, 0, bytes);
        return segment;
    }
}
