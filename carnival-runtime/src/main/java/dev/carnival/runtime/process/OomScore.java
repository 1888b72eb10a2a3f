package dev.carnival.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * Who the kernel's OOM killer takes first: the supervisor's services, never the supervisor while
 * a service is left, through {@code /proc/PID/oom_score_adj} (-1000 to 1000; the killer's choice is
 * the largest resident size plus {@code adj / 1000} of the memory limit).
 *
 * <p>The supervisor lowers its own value to {@link #SUPERVISOR} where it may: lowering needs
 * CAP_SYS_RESOURCE, which a container's root may lack; raising never needs it. A service's
 * default is the value the supervisor was started with, raised where needed to at least 1000 above
 * the supervisor's own (at most 1000): a difference of 1000 puts a service ahead of the
 * supervisor whatever their sizes. Without the privilege, that makes services 1000, the first
 * choice. A service's {@code oom-score-adj} replaces the default.
 *
 * <p>A child inherits its parent's value through posix_spawn, and nothing in posix_spawn sets
 * it, so the value is written to {@code /proc/PID/oom_score_adj} just after the spawn returns:
 * for the few microseconds in between the new process has the supervisor's value. The value
 * belongs to the whole process, not to the spawning thread, so it cannot be set once for every
 * child; the write is skipped only where the child's value is the one it inherits
 * ({@link #forChild}).
 *
 * @param started the supervisor's value when it started, before any change
 * @param own     the supervisor's value now
 */
public record OomScore(int started, int own) {
    /** The supervisor's own value, where it may lower it: the last choice, yet still killable when alone. */
    public static final int SUPERVISOR = -999;
    public static final int MIN = -1000;
    public static final int MAX = 1000;

    private static final Path SELF = Path.of("/proc/self/oom_score_adj");
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** This process as it is (an embedded supervisor leaves its host's value alone); 0 off Linux. */
    public static OomScore inherited() {
        int now = read();
        return new OomScore(now, now);
    }

    /**
     * Makes this process the OOM killer's last choice where it may, for the command-line
     * supervisor: {@link #SUPERVISOR} when lower than its value now; without CAP_SYS_RESOURCE it
     * keeps its value, and its services' default rises instead.
     */
    public static OomScore lowered() {
        int before = read();
        if (before <= SUPERVISOR || !Files.isWritable(SELF)) {
            return new OomScore(before, before);
        }
        try {
            Files.writeString(SELF, Integer.toString(SUPERVISOR));
        } catch (IOException e) {
            // EACCES without CAP_SYS_RESOURCE: the services' default covers it.
        }
        return new OomScore(before, read());
    }

    /** The value a child gets unless its service sets one. */
    public int childDefault() {
        return Math.max(started, Math.min(MAX, own + 1000));
    }

    /** For the process control's description line. */
    public String describe() {
        return "OOM score adjustment " + own + (own < started ? " (was " + started + ")" : "")
                + ", children " + childDefault();
    }

    /**
     * The value {@code requested} (null: {@link #childDefault()}) for a child just started with
     * the supervisor's; null when that is what it already has.
     */
    public Integer forChild(Integer requested) {
        int value = requested == null ? childDefault() : requested;
        return value == own ? null : value;
    }

    /**
     * Reports, once per value, that a child could not be given {@code value}: a value lower than
     * the supervisor's own needs CAP_SYS_RESOURCE.
     */
    public void warnRefused(String command, int value, String why) {
        if (WARNED.add(value + " " + command)) {
            LoggerFactory.getLogger(OomScore.class).warn(
                    "cannot set oom-score-adj {} for {}: {}{}; it runs with {}", value, command, why,
                    value < own ? " (lowering it below Carnival's own needs CAP_SYS_RESOURCE)" : "", own);
        }
    }

    /** What {@link #apply} did. */
    enum Applied { UNCHANGED, WRITTEN, GONE, REFUSED }

    /** The JDK fallback's write: through the file system, once per spawn. */
    Applied apply(long pid, Integer requested, String command) {
        return apply(pid, Path.of("/proc", Long.toString(pid), "oom_score_adj"), requested, command);
    }

    /** Writes the child's value to {@code file}, which is {@code pid}'s {@code oom_score_adj} but in tests. */
    Applied apply(long pid, Path file, Integer requested, String command) {
        Integer value = forChild(requested);
        if (value == null) {
            return Applied.UNCHANGED;
        }
        try {
            Files.writeString(file, value.toString());
            return Applied.WRITTEN;
        } catch (IOException e) {
            // Reaped before the open (ENOENT) or between open and write (ESRCH): it exited at once
            // and there is nothing to order. /proc says so; the exception's text is not asked.
            if (!running(pid)) {
                return Applied.GONE;
            }
            warnRefused(command, value, e instanceof AccessDeniedException ? "permission denied" : e.toString());
            return Applied.REFUSED;
        }
    }

    /** Whether {@code pid} is a process that has not exited: it has a /proc entry, not a zombie's. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int state = stat.lastIndexOf(')') + 2; // the name, in parentheses, may hold anything
            return state < stat.length() && stat.charAt(state) != 'Z' && stat.charAt(state) != 'X';
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static int read() {
        try {
            return Integer.parseInt(Files.readString(SELF, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            return 0;
        }
    }
}
