package dev.carnival.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What a replica's process group used at its latest sample: every process in the group, read
 * from /proc. A process that ended between two samples no longer counts toward memory; its CPU
 * time counts while it ran and, once its parent in the group has reaped it, in its parent's.
 *
 * @param cpuPercent  percent of one core used between the last two samples (0 after the first)
 * @param cpuSeconds  CPU time (user and system) of the group's processes and their reaped children
 * @param memoryBytes resident memory (RSS) of the group's processes, summed; shared pages count
 *                    once per process that maps them
 * @param sampledAt   when it was read
 */
public record ResourceUsage(double cpuPercent, double cpuSeconds, long memoryBytes, Instant sampledAt) {
    /** Rejects a null time. */
    public ResourceUsage {
        Objects.requireNonNull(sampledAt, "sampledAt");
    }
}
