package dev.carnival.runtime.resources;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.MemoryLimit;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ResourceUsage;
import dev.carnival.api.model.ServiceConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every running replica's process group every {@code resource-period-ms}, on the
 * supervisor's one timer (no thread of its own), keeps the latest {@link ResourceUsage} of each,
 * and reports a replica that stayed above its {@code max-memory} for {@code max-memory-for-ms}.
 */
public final class ResourceMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceMonitor.class);

    private final Duration period;
    private final ResourceSampler<ReplicaId> sampler;
    /** Each service's max-memory, by name: replaced by a reload. */
    private volatile Map<String, MemoryLimit> limits;
    private final Map<ReplicaId, MemoryWatch> watches = new HashMap<>(); // the timer thread's
    private final Map<ReplicaId, Long> groups = new HashMap<>(); // the timer thread's: last run's group
    private final Map<ReplicaId, ResourceUsage> latest = new ConcurrentHashMap<>();
    private final Map<ReplicaId, AtomicLong> memoryRestarts = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> task;
    private boolean failureLogged;

    public ResourceMonitor(CarnivalConfig config, ProcScan scan) {
        this.period = config.global().monitoring().resourcePeriod();
        this.sampler = new ResourceSampler<>(scan, System::nanoTime);
        this.limits = limits(config);
    }

    private static Map<String, MemoryLimit> limits(CarnivalConfig config) {
        Map<String, MemoryLimit> limits = new HashMap<>();
        for (ServiceConfig s : config.services()) {
            s.monitoring().memoryLimit().ifPresent(l -> limits.put(s.name(), l));
        }
        return Map.copyOf(limits);
    }

    /**
     * A reload: {@code next}'s {@code max-memory} and {@code max-memory-for-ms} from the next
     * sample on (a replica's time over a changed limit counts again from there); the counts of
     * services it no longer has are dropped. The period is not changed: it is read at start.
     */
    public void adopt(CarnivalConfig next) {
        limits = limits(next);
        Set<String> names = next.services().stream().map(ServiceConfig::name).collect(Collectors.toSet());
        memoryRestarts.keySet().removeIf(id -> !names.contains(id.service()));
    }

    /**
     * Samples from now on, every period, unless sampling is off.
     *
     * @param running    each running replica's process group id, asked at every sample
     * @param overLimit  told (on the timer thread, once per time over) when a replica stayed over
     *                   its limit for long enough; stopping it is the caller's
     */
    public void start(ScheduledExecutorService timer, Supplier<Map<ReplicaId, Long>> running,
                      Consumer<LifecycleEvent.MemoryLimitExceeded> overLimit) {
        if (period.isZero()) {
            return;
        }
        long nanos = period.toNanos();
        task = timer.scheduleAtFixedRate(() -> sampleSafely(running, overLimit), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void sampleSafely(Supplier<Map<ReplicaId, Long>> running,
                              Consumer<LifecycleEvent.MemoryLimitExceeded> overLimit) {
        try {
            sample(running.get(), Instant.now(), overLimit);
        } catch (RuntimeException e) {
            if (!failureLogged) { // a failing sample must not end the timer's other work, nor fill the log
                failureLogged = true;
                LOG.warn("resource sampling failed: {}", e.toString());
            }
        }
    }

    /** One sample of {@code running} (replica to process group), at {@code now}. */
    void sample(Map<ReplicaId, Long> running, Instant now, Consumer<LifecycleEvent.MemoryLimitExceeded> overLimit) {
        Map<ReplicaId, ResourceUsage> usage = sampler.sample(running, now);
        latest.keySet().retainAll(running.keySet());
        latest.putAll(usage);
        watches.keySet().retainAll(running.keySet());
        groups.keySet().retainAll(running.keySet());
        Map<String, MemoryLimit> current = limits;
        for (Map.Entry<ReplicaId, ResourceUsage> e : usage.entrySet()) {
            ReplicaId id = e.getKey();
            MemoryLimit limit = current.get(id.service());
            if (limit == null) {
                watches.remove(id);
                continue;
            }
            MemoryWatch watch = watches.get(id);
            if (watch == null || !watch.limit().equals(limit)) {
                watch = new MemoryWatch(limit); // a reload changed it: counted afresh
                watches.put(id, watch);
            }
            Long group = running.get(id);
            if (!group.equals(groups.put(id, group))) {
                watch.reset(); // a new run: the last one's time over the limit does not count
            }
            Optional<MemoryWatch.Over> over = watch.sample(e.getValue().memoryBytes(), now);
            if (over.isPresent()) {
                memoryRestarts.computeIfAbsent(id, i -> new AtomicLong()).incrementAndGet();
                overLimit.accept(new LifecycleEvent.MemoryLimitExceeded(now, id, over.get().usedBytes(), limit.bytes(),
                        limit.lasting()));
            }
        }
    }

    /** The latest sample of a running replica. */
    public Optional<ResourceUsage> usage(ReplicaId id) {
        return Optional.ofNullable(latest.get(id));
    }

    /** How many times the replica was found over its {@code max-memory} for long enough. */
    public long memoryRestarts(ReplicaId id) {
        AtomicLong n = memoryRestarts.get(id);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }
}
