package dev.carnival.runtime.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process that sent a notify message, as /proc showed it when the message was read (a
 * sender may be gone by the time its replica's process is known): its process group and its
 * line of parents.
 *
 * @param pid     its pid; 0 when unknown
 * @param group   its process group; -1 when unknown
 * @param lineage its pid, its parent's, and so on up to (not including) PID 1
 */
public record Sender(long pid, long group, List<Long> lineage) {
    /** A sender nothing is known of: it belongs to no process. */
    public static final Sender UNKNOWN = new Sender(0, -1, List.of());
    private static final int MAX_DEPTH = 64;

    public Sender {
        lineage = List.copyOf(lineage);
    }

    /** {@code pid} as /proc shows it now; {@link #UNKNOWN} when it is gone already. */
    public static Sender of(long pid) {
        if (pid <= 0) {
            return UNKNOWN;
        }
        long[] first = parentAndGroup(pid);
        if (first == null) {
            return UNKNOWN;
        }
        List<Long> lineage = new ArrayList<>();
        lineage.add(pid);
        long parent = first[0];
        while (parent > 1 && lineage.size() < MAX_DEPTH) {
            lineage.add(parent);
            long[] next = parentAndGroup(parent);
            parent = next == null ? 0 : next[0];
        }
        return new Sender(pid, first[1], lineage);
    }

    /**
     * Whether it is the process {@code process}, a descendant of it, or in its process group
     * (which is {@code process} for a process that leads its session, as every replica's does
     * under native process control).
     */
    public boolean belongsTo(long process) {
        return pid > 0 && process > 0 && (group == process || lineage.contains(process));
    }

    /** ppid and pgrp from /proc/PID/stat, or null when it is gone. */
    private static long[] parentAndGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // After the name in parentheses (which may hold anything): state ppid pgrp ...
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
            return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
