package dev.carnival.runtime.resources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads /proc once for every process, and sums CPU time and resident memory per process group.
 * A process may end at any moment between listing /proc and reading its stat: that process is
 * simply not counted. Not thread-safe: one scan at a time.
 */
public final class ProcScan {
    /** What one process group used, summed over its processes. */
    public record GroupUsage(long cpuTicks, long rssPages, int processes) {
        GroupUsage plus(long ticks, long pages) {
            return new GroupUsage(cpuTicks + ticks, rssPages + pages, processes + 1);
        }
    }

    private static final int AT_PAGESZ = 6;
    private static final int AT_CLKTCK = 17;

    private final Path proc;
    private final byte[] buffer = new byte[4096];
    private final long pageSize;
    private final long ticksPerSecond;

    /** @param proc where procfs is mounted ({@code /proc}; a copy of its layout in tests) */
    public ProcScan(Path proc) {
        this.proc = proc;
        long[] aux = auxv(proc.resolve("self/auxv"));
        this.pageSize = aux[0];
        this.ticksPerSecond = aux[1];
    }

    /** Bytes per page, as rss is counted in pages. */
    public long pageSize() {
        return pageSize;
    }

    /** Clock ticks per second, as CPU times are counted in ticks. */
    public long ticksPerSecond() {
        return ticksPerSecond;
    }

    /** The usage of each of {@code groups} (process group ids) that has a process now. */
    public Map<Long, GroupUsage> scan(Set<Long> groups) {
        Map<Long, GroupUsage> usage = new HashMap<>();
        if (groups.isEmpty()) {
            return usage;
        }
        String[] entries = proc.toFile().list();
        if (entries == null) {
            return usage;
        }
        long[] fields = new long[4];
        for (String entry : entries) {
            if (entry.isEmpty() || entry.charAt(0) < '0' || entry.charAt(0) > '9') {
                continue;
            }
            if (!read(proc.resolve(entry).resolve("stat"), fields)) {
                continue; // gone, or not readable: not ours to count
            }
            long group = fields[0];
            if (groups.contains(group)) {
                usage.merge(group, new GroupUsage(fields[1], fields[3], 1),
                        (a, b) -> a.plus(b.cpuTicks(), b.rssPages()));
            }
        }
        return usage;
    }

    /**
     * Parses {@code pid (comm) state ppid pgrp ... utime stime cutime cstime ... rss}: after the
     * last ')' (comm may hold anything), fields counted from {@code state} as 0.
     * Gives pgrp, utime+stime+cutime+cstime, (unused), rss in {@code out}.
     */
    private boolean read(Path stat, long[] out) {
        int n;
        try (InputStream in = Files.newInputStream(stat)) {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        int i = n - 1;
        while (i >= 0 && buffer[i] != ')') {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int field = -1;
        long value = 0;
        long cpu = 0;
        boolean inNumber = false;
        for (int k = i + 1; k < n; k++) {
            byte b = buffer[k];
            if (b == ' ' || b == '\n') {
                if (inNumber) {
                    switch (field) {
                        case 2 -> out[0] = value;
                        case 11, 12, 13, 14 -> cpu += value;
                        case 21 -> {
                            out[1] = cpu;
                            out[3] = value;
                            return true;
                        }
                        default -> { }
                    }
                    inNumber = false;
                }
                continue;
            }
            if (!inNumber) {
                inNumber = true;
                field++;
                value = 0;
            }
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
            }
        }
        return false;
    }

    /** AT_PAGESZ and AT_CLKTCK from the auxiliary vector; Linux's usual 4096 and 100 if it cannot be read. */
    static long[] auxv(Path file) {
        long[] found = {4096, 100};
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 16) {
                long type = b.getLong();
                long value = b.getLong();
                if (type == AT_PAGESZ && value > 0) {
                    found[0] = value;
                } else if (type == AT_CLKTCK && value > 0) {
                    found[1] = value;
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep the usual values
        }
        return found;
    }
}
