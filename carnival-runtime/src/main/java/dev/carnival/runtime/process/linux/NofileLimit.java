package dev.carnival.runtime.process.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The open-file limit ({@code RLIMIT_NOFILE}) of the supervisor and of its children.
 *
 * <p>The supervisor needs many descriptors (pipes and pidfds per replica), so it raises its own
 * soft limit to the hard one, as the JVM does by default ({@code -XX:+MaxFDLimit}; the launcher
 * turns that off so the limit it was started with can still be read here). Its children must not
 * inherit that: a program using {@code select()} misbehaves above 1024 descriptors, which is why
 * the soft limit is usually 1024 in the first place. posix_spawn has no rlimit attribute and
 * rlimits belong to the whole process, so lowering our own around a spawn would race every other
 * thread's open; {@link ExecGate} sets the child's instead, before it execs.
 *
 * @param childSoft the soft limit to give children, or -1 when they may inherit ours
 * @param hard      the hard limit, kept as it is for children too
 */
record NofileLimit(long childSoft, long hard) {
    private static final long CUR = LibC.offsetOf(LibC.RLIMIT, "rlim_cur");
    private static final long MAX = LibC.offsetOf(LibC.RLIMIT, "rlim_max");

    /** Children inherit the supervisor's limit (an embedded supervisor leaves its host's alone). */
    static final NofileLimit INHERITED = new NofileLimit(-1, -1);

    /**
     * Raises this process's soft limit to its hard one, and remembers the soft limit as it was for
     * children; when they are equal already (or the limit cannot be read), children inherit ours.
     */
    static NofileLimit raised() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment now = arena.allocate(LibC.RLIMIT);
            if (LibC.prlimit(0, LibC.RLIMIT_NOFILE, MemorySegment.NULL, now) < 0) {
                return INHERITED;
            }
            long soft = Memory.getLong(now, CUR);
            long hard = Memory.getLong(now, MAX);
            if (Long.compareUnsigned(soft, hard) >= 0) {
                return INHERITED;
            }
            Memory.setLong(now, CUR, hard);
            if (LibC.prlimit(0, LibC.RLIMIT_NOFILE, now, MemorySegment.NULL) < 0) {
                return INHERITED; // we keep the lower limit, and so do they
            }
            return new NofileLimit(soft, hard);
        }
    }

    /** Whether children need their own limit set. */
    boolean restores() {
        return childSoft >= 0;
    }

    /** Sets process {@code pid}'s limit to the children's: 0, or an error number. */
    int applyTo(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(LibC.RLIMIT);
            Memory.setLong(limit, CUR, childSoft);
            Memory.setLong(limit, MAX, hard);
            int r = LibC.prlimit(pid, LibC.RLIMIT_NOFILE, limit, MemorySegment.NULL);
            return r < 0 ? -r : 0;
        }
    }

    /** For the process control's description line. */
    String describe() {
        return restores() ? ", open files " + hard + " (children " + childSoft + ")" : "";
    }
}
