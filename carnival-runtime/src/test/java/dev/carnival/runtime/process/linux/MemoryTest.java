package dev.carnival.runtime.process.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Memory's copies against the JDK's own accessors, and LibC's summed offsets against layout paths. */
class MemoryTest {
    @Test
    void readsAndWritesWhatTheAccessorsReadAndWrite() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64, 8);
            Memory.setInt(s, 4, -123456789);
            assertEquals(-123456789, s.get(JAVA_INT, 4));
            Memory.setLong(s, 8, 0x0123456789abcdefL);
            assertEquals(0x0123456789abcdefL, s.get(JAVA_LONG, 8));
            Memory.setShort(s, 18, (short) -2);
            assertEquals((short) -2, s.get(JAVA_SHORT, 18));
            s.set(JAVA_INT, 20, 42);
            assertEquals(42, Memory.getInt(s, 20));
            assertEquals(0x0123456789abcdefL, Memory.getLong(s, 8));
            short[] shorts = new short[2];
            Memory.getShorts(s, 16, shorts, 2);
            assertEquals((short) -2, shorts[1]);
            Memory.setLongs(s, 24, new long[] {1, 2});
            assertEquals(2, s.getAtIndex(JAVA_LONG, 4));
            Memory.setInts(s, 40, new int[] {7, 8});
            assertEquals(8, s.get(JAVA_INT, 44));
        }
    }

    @Test
    void cStringsAreNulTerminatedUtf8() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = Memory.cString(arena, "é/x");
            assertEquals(5, s.byteSize());
            assertEquals("é/x", s.getString(0));
            assertEquals(0, s.get(JAVA_BYTE, 4));
        }
    }

    @Test
    void accessOutsideTheSegmentOrMisalignedIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(8, 8);
            assertThrows(IndexOutOfBoundsException.class, () -> Memory.getLong(s, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> Memory.setInt(s, 8, 1));
            assertThrows(IllegalArgumentException.class, () -> Memory.setInt(s, 2, 1));
        }
    }

    @Test
    void summedOffsetsAreTheLayoutPathOffsets() {
        assertEquals(LibC.POLLFD.byteOffset(PathElement.groupElement("fd")), LibC.POLLFD_FD);
        assertEquals(LibC.POLLFD.byteOffset(PathElement.groupElement("events")), LibC.POLLFD_EVENTS);
        assertEquals(LibC.POLLFD.byteOffset(PathElement.groupElement("revents")), LibC.POLLFD_REVENTS);
        assertEquals(LibC.SIGINFO.byteOffset(PathElement.groupElement("si_pid")), LibC.SIGINFO_PID);
        assertEquals(Linker.Option.captureStateLayout().byteOffset(PathElement.groupElement("errno")),
                LibC.offsetOf(Linker.Option.captureStateLayout(), "errno"));
        assertThrows(IllegalArgumentException.class, () -> LibC.offsetOf(LibC.POLLFD, "nope"));
    }
}
