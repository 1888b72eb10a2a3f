package dev.carnival.runtime.process.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Every read and write of native memory in process control, as bulk copies between the native
 * segment and a Java array seen as a segment.
 *
 * <p>Not {@code MemorySegment.get/set} nor the array overloads of {@code MemorySegment.copy}: they
 * make var handles and a type switch on the way to the first spawn (start-up rules:
 * StartupClassesIT in carnival-dist). A segment-to-segment copy of a few bytes checks bounds and
 * goes straight to Unsafe. Bytes keep their native order both ways, which is what
 * {@code JAVA_INT} and the others mean here.
 */
final class Memory {
    private Memory() {}

    static int getInt(MemorySegment segment, long offset) {
        int[] value = new int[1];
        read(segment, offset, MemorySegment.ofArray(value), Integer.BYTES);
        return value[0];
    }

    static void setInt(MemorySegment segment, long offset, int value) {
        write(MemorySegment.ofArray(new int[] {value}), segment, offset, Integer.BYTES);
    }

    static long getLong(MemorySegment segment, long offset) {
        long[] value = new long[1];
        read(segment, offset, MemorySegment.ofArray(value), Long.BYTES);
        return value[0];
    }

    static void setLong(MemorySegment segment, long offset, long value) {
        write(MemorySegment.ofArray(new long[] {value}), segment, offset, Long.BYTES);
    }

    static void setShort(MemorySegment segment, long offset, short value) {
        write(MemorySegment.ofArray(new short[] {value}), segment, offset, Short.BYTES);
    }

    /** {@code count} shorts from {@code offset} into {@code into}. */
    static void getShorts(MemorySegment segment, long offset, short[] into, int count) {
        aligned(segment, offset, Short.BYTES);
        MemorySegment.copy(segment, offset, MemorySegment.ofArray(into), 0, (long) count * Short.BYTES);
    }

    /** {@code values} written at {@code offset}, one after the other. */
    static void setInts(MemorySegment segment, long offset, int[] values) {
        aligned(segment, offset, Integer.BYTES);
        MemorySegment.copy(MemorySegment.ofArray(values), 0, segment, offset, (long) values.length * Integer.BYTES);
    }

    static void setLongs(MemorySegment segment, long offset, long[] values) {
        aligned(segment, offset, Long.BYTES);
        MemorySegment.copy(MemorySegment.ofArray(values), 0, segment, offset, (long) values.length * Long.BYTES);
    }

    /** {@code bytes} and a NUL after them, at {@code offset} of a segment that has room for both. */
    static void setCString(MemorySegment segment, long offset, byte[] bytes) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, offset, bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(new byte[1]), 0, segment, offset + bytes.length, 1);
    }

    /** {@code text} as a NUL-terminated UTF-8 string in {@code arena}. */
    static MemorySegment cString(Arena arena, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment segment = arena.allocate(bytes.length + 1L);
        setCString(segment, 0, bytes);
        return segment;
    }

    private static void read(MemorySegment from, long offset, MemorySegment into, int size) {
        aligned(from, offset, size);
        MemorySegment.copy(from, offset, into, 0, size);
    }

    private static void write(MemorySegment from, MemorySegment into, long offset, int size) {
        aligned(into, offset, size);
        MemorySegment.copy(from, 0, into, offset, size);
    }

    /** As the typed accessors would: a misaligned field is a wrong offset, and a bug of ours. */
    private static void aligned(MemorySegment segment, long offset, int size) {
        if (((segment.address() + offset) & (size - 1)) != 0) {
            throw new IllegalArgumentException("misaligned " + size + "-byte access at offset " + offset);
        }
    }
}
