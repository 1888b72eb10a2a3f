package dev.carnival.runtime.process.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Writes to a process's {@code /proc/PID/} files through libc: no file system provider on the spawn path. */
final class ProcFiles {
    private ProcFiles() {}

    /** Writes {@code text} to {@code /proc/PID/NAME} in one write: 0, or the error number. */
    static int write(int pid, String name, String text) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibC.open(Memory.cString(arena, "/proc/" + pid + "/" + name), LibC.O_WRONLY | LibC.O_CLOEXEC);
            if (fd < 0) {
                return -fd;
            }
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            MemorySegment buffer = arena.allocate(bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, buffer, 0, bytes.length);
            long written = LibC.write(fd, buffer, bytes.length);
            LibC.close(fd);
            return written < 0 ? (int) -written : 0;
        }
    }
}
