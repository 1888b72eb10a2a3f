package dev.carnival.runtime.resources;

import dev.carnival.api.model.ResourceUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Turns scans of /proc into each replica's {@link ResourceUsage}: its process group's resident
 * memory, its CPU time summed over the replica's runs, and the percent of one core it used since
 * the previous sample of the same run. Not thread-safe: one sample at a time.
 *
 * @param <K> what a replica is known by
 */
public final class ResourceSampler<K> {
    private record Last(long group, long ticks, long nanos) {}

    private final ProcScan scan;
    private final LongSupplier nanoClock;
    private final Map<K, Last> last = new HashMap<>();
    /** CPU ticks of each replica's earlier runs. */
    private final Map<K, Long> earlierRuns = new HashMap<>();

    public ResourceSampler(ProcScan scan, LongSupplier nanoClock) {
        this.scan = scan;
        this.nanoClock = nanoClock;
    }

    /**
     * Samples every running replica; {@code groups} gives each one's process group id. A replica
     * not in {@code groups} (not running now) keeps its CPU time for its next run.
     */
    public Map<K, ResourceUsage> sample(Map<K, Long> groups, Instant now) {
        Map<Long, ProcScan.GroupUsage> usage = scan.scan(new HashSet<>(groups.values()));
        long nanos = nanoClock.getAsLong();
        Map<K, ResourceUsage> result = new HashMap<>();
        for (Map.Entry<K, Long> e : groups.entrySet()) {
            K replica = e.getKey();
            long group = e.getValue();
            ProcScan.GroupUsage u = usage.getOrDefault(group, new ProcScan.GroupUsage(0, 0, 0));
            Last before = last.get(replica);
            double percent = 0;
            long ticks = u.cpuTicks();
            if (before != null && before.group() == group) {
                ticks = Math.max(ticks, before.ticks()); // a process that ended unreaped took its time along
                long elapsed = nanos - before.nanos();
                percent = elapsed <= 0 ? 0 : (ticks - before.ticks()) * 1e9 * 100 / scan.ticksPerSecond() / elapsed;
            } else if (before != null) {
                earlierRuns.merge(replica, before.ticks(), Long::sum);
            }
            last.put(replica, new Last(group, ticks, nanos));
            long total = ticks + earlierRuns.getOrDefault(replica, 0L);
            result.put(replica, new ResourceUsage(percent, (double) total / scan.ticksPerSecond(),
                    u.rssPages() * scan.pageSize(), now));
        }
        retire(groups.keySet());
        return result;
    }

    /** A replica that is not running: its last run's time joins its earlier runs'. */
    private void retire(Set<K> running) {
        last.entrySet().removeIf(e -> {
            if (running.contains(e.getKey())) {
                return false;
            }
            earlierRuns.merge(e.getKey(), e.getValue().ticks(), Long::sum);
            return true;
        });
    }
}
