package dev.carnival.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The processes {@code /proc} lists. A process that exits while it is read is simply not listed:
 * on a busy machine that is normal.
 */
final class ProcTable {
    private static final Path PROC = Path.of("/proc");
    /** USER_HZ: the unit of a process's start time in {@code /proc/PID/stat}; 100 on every Linux ABI. */
    private static final long TICKS_PER_SECOND = 100;

    /**
     * One process.
     *
     * @param startTicks when it started, in clock ticks since boot
     */
    record Entry(long pid, char state, long processGroup, long session, long startTicks, String commandLine) {
        /** Alive, not a zombie waiting to be reaped. */
        boolean alive() {
            return state != 'Z' && state != 'X';
        }
    }

    private ProcTable() {}

    /** Whether this machine has a {@code /proc} to check. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    /** Now, in the unit and from the origin of {@link Entry#startTicks()}, rounded down. */
    static long nowTicks() {
        try {
            String uptime = Files.readString(PROC.resolve("uptime"), StandardCharsets.US_ASCII);
            double seconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            return (long) Math.floor(seconds * TICKS_PER_SECOND) - 1;
        } catch (IOException | RuntimeException e) {
            return 0; // no lower bound: every matching process counts
        }
    }

    /**
     * The live processes that are one of {@code pids}, or in a process group or session one of
     * them leads, and that started at {@code sinceTicks} or later (so that a pid reused by an
     * unrelated process since is not mistaken for one of ours).
     */
    static List<Entry> survivors(Set<Long> pids, long sinceTicks) {
        List<Entry> found = new ArrayList<>();
        if (pids.isEmpty()) {
            return found;
        }
        try (Stream<Path> all = Files.list(PROC)) {
            for (Path dir : all.toList()) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                Entry e = read(dir, Long.parseLong(name));
                if (e != null && e.alive() && e.startTicks() >= sinceTicks
                        && (pids.contains(e.pid()) || pids.contains(e.processGroup()) || pids.contains(e.session()))) {
                    found.add(e);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return found;
    }

    /** One process, or null when it is gone. */
    static Entry read(long pid) {
        return read(PROC.resolve(Long.toString(pid)), pid);
    }

    private static Entry read(Path dir, long pid) {
        String stat;
        try {
            stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        // "pid (comm) state ppid pgrp session ... starttime(22nd) ...": comm may hold spaces and parentheses.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 2).split(" ");
        if (f.length < 20) {
            return null;
        }
        String comm = stat.substring(stat.indexOf('(') + 1, close);
        return new Entry(pid, f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[19]),
                commandLine(dir, comm));
    }

    private static String commandLine(Path dir, String comm) {
        try {
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            return line.isEmpty() ? "[" + comm + "]" : line;
        } catch (IOException e) {
            return "[" + comm + "]";
        }
    }
}
