package dev.carnival.runtime.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.MemoryLimit;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ResourceUsage;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.ServiceMonitoring;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourcesTest {
    @TempDir
    Path proc;

    /** A /proc/PID/stat with these values and zeros elsewhere; comm with spaces and parens, as it may be. */
    private void process(long pid, long pgrp, long utime, long stime, long cutime, long cstime, long rss)
            throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        String stat = pid + " (a (b) c) S 1 " + pgrp + " " + pgrp + " 0 -1 4194560 0 0 0 0 " + utime + " " + stime
                + " " + cutime + " " + cstime + " 20 0 1 0 100 1000000 " + rss + " 18446744073709551615 0 0\n";
        Files.writeString(dir.resolve("stat"), stat);
    }

    private void auxv(long pageSize, long clkTck) throws IOException {
        Files.createDirectories(proc.resolve("self"));
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        b.putLong(33).putLong(1).putLong(6).putLong(pageSize).putLong(17).putLong(clkTck).putLong(0).putLong(0);
        Files.write(proc.resolve("self/auxv"), b.array());
    }

    @Test
    void sumsEachGroupsProcessesAndSkipsWhatIsNotAProcess() throws IOException {
        auxv(4096, 100);
        process(10, 10, 100, 50, 7, 3, 1000);
        process(11, 10, 20, 0, 0, 0, 24);
        process(20, 20, 1, 1, 0, 0, 5);
        process(30, 99, 500, 500, 0, 0, 5000);
        Files.createDirectories(proc.resolve("40")); // ended between listing and reading: no stat
        Files.writeString(Files.createDirectories(proc.resolve("41")).resolve("stat"), "41 (cut");
        Files.createDirectories(proc.resolve("sys"));
        ProcScan scan = new ProcScan(proc);
        assertEquals(4096, scan.pageSize());
        assertEquals(100, scan.ticksPerSecond());
        Map<Long, ProcScan.GroupUsage> usage = scan.scan(Set.of(10L, 20L, 77L));
        assertEquals(Map.of(10L, new ProcScan.GroupUsage(180, 1024, 2), 20L, new ProcScan.GroupUsage(2, 5, 1)), usage);
    }

    @Test
    void theRealProcHasThisProcessGroup() throws IOException {
        ProcScan scan = new ProcScan(Path.of("/proc"));
        String stat = Files.readString(Path.of("/proc/self/stat"));
        long pgrp = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        ProcScan.GroupUsage mine = scan.scan(Set.of(pgrp)).get(pgrp);
        assertTrue(mine.processes() >= 1, mine.toString());
        assertTrue(mine.rssPages() * scan.pageSize() > 10L << 20, "a JVM holds more than 10 MiB: " + mine);
        assertTrue(mine.cpuTicks() > 0, mine.toString());
        assertTrue(scan.pageSize() >= 4096 && Long.bitCount(scan.pageSize()) == 1, "page size " + scan.pageSize());
    }

    @Test
    void cpuPercentIsOverThePeriodAndSecondsAddUpAcrossRuns() throws IOException {
        auxv(4096, 100);
        AtomicLong nanos = new AtomicLong();
        ResourceSampler<ReplicaId> sampler = new ResourceSampler<>(new ProcScan(proc), nanos::get);
        ReplicaId web = new ReplicaId("web", 0);
        Instant now = Instant.EPOCH;
        process(10, 10, 100, 0, 0, 0, 256);
        ResourceUsage first = sampler.sample(Map.of(web, 10L), now).get(web);
        assertEquals(new ResourceUsage(0, 1.0, 1 << 20, now), first, "no percent before a period has passed");
        nanos.set(2_000_000_000L);
        process(10, 10, 150, 50, 0, 0, 512);
        ResourceUsage second = sampler.sample(Map.of(web, 10L), now).get(web);
        assertEquals(50.0, second.cpuPercent(), 1e-9, "1 s of CPU in 2 s");
        assertEquals(2.0, second.cpuSeconds(), 1e-9);
        assertEquals(2 << 20, second.memoryBytes());
        assertEquals(Map.of(), sampler.sample(Map.of(), now), "not running: nothing to sample");
        process(12, 12, 30, 0, 0, 0, 1);
        nanos.set(3_000_000_000L);
        ResourceUsage next = sampler.sample(Map.of(web, 12L), now).get(web);
        assertEquals(0, next.cpuPercent(), "a new run starts its own period");
        assertEquals(2.3, next.cpuSeconds(), 1e-9, "the earlier run's 2 s, and 0.3 s of this one");
    }

    @Test
    void aLimitIsExceededOnlyAfterLastingOverIt() {
        MemoryWatch watch = new MemoryWatch(new MemoryLimit(100, Duration.ofSeconds(30)));
        Instant t = Instant.EPOCH;
        assertEquals(Optional.empty(), watch.sample(101, t));
        assertEquals(Optional.empty(), watch.sample(500, t.plusSeconds(29)));
        assertEquals(Optional.of(new MemoryWatch.Over(400, Duration.ofSeconds(30))), watch.sample(400, t.plusSeconds(30)));
        assertEquals(Optional.empty(), watch.sample(400, t.plusSeconds(35)), "counting starts again");
        assertEquals(Optional.empty(), watch.sample(100, t.plusSeconds(70)), "at the limit is not over it");
        assertEquals(Optional.empty(), watch.sample(101, t.plusSeconds(71)));
        watch.reset();
        assertEquals(Optional.empty(), watch.sample(101, t.plusSeconds(101)), "a new run counts afresh");
        MemoryWatch atOnce = new MemoryWatch(new MemoryLimit(100, Duration.ZERO));
        assertEquals(Optional.of(new MemoryWatch.Over(101, Duration.ZERO)), atOnce.sample(101, t));
    }

    @Test
    void theEventSaysItInTheIssuesWords() {
        assertEquals("used 612 MiB, over max-memory 512 MiB for 30 s", new LifecycleEvent.MemoryLimitExceeded(
                Instant.EPOCH, new ReplicaId("web", 0), 612L << 20, 512L << 20, Duration.ofSeconds(30)).describe());
        assertEquals("used 1.2 GiB, over max-memory 1 GiB for 1500 ms", new LifecycleEvent.MemoryLimitExceeded(
                Instant.EPOCH, new ReplicaId("web", 0), (12L << 30) / 10, 1L << 30, Duration.ofMillis(1500)).describe());
        assertEquals("used 20.3 MiB, over max-memory 20 MiB for 0 s", new LifecycleEvent.MemoryLimitExceeded(
                Instant.EPOCH, new ReplicaId("web", 0), (203L << 20) / 10, 20L << 20, Duration.ZERO).describe(),
                "one decimal where whole units would read as not over");
        assertEquals("used 20.004 MiB, over max-memory 20 MiB for 0 s", new LifecycleEvent.MemoryLimitExceeded(
                Instant.EPOCH, new ReplicaId("web", 0), (20L << 20) + 4096, 20L << 20, Duration.ZERO).describe(),
                "one page over: as many decimals as it takes to read as over");
        assertEquals("used 3000 B, over max-memory 1000 B for 0 s", new LifecycleEvent.MemoryLimitExceeded(
                Instant.EPOCH, new ReplicaId("web", 0), 3000, 1000, Duration.ZERO).describe());
    }

    private static CarnivalConfig limited(long bytes) {
        ServiceConfig.Builder web = ServiceConfig.builder("web", "true");
        if (bytes > 0) {
            web.monitoring(new ServiceMonitoring(OptionalInt.empty(),
                    Optional.of(new MemoryLimit(bytes, Duration.ZERO))));
        }
        return new CarnivalConfig(GlobalConfig.DEFAULT, List.of(),
                List.of(web.build()));
    }

    @Test
    void aReloadsMaxMemoryHoldsFromTheNextSample() throws IOException {
        auxv(4096, 100);
        process(10, 10, 0, 0, 0, 0, 1000); // 4096000 bytes
        ResourceMonitor monitor = new ResourceMonitor(limited(0), new ProcScan(proc));
        ReplicaId web = new ReplicaId("web", 0);
        List<LifecycleEvent.MemoryLimitExceeded> over = new ArrayList<>();
        monitor.sample(Map.of(web, 10L), Instant.EPOCH, over::add);
        assertEquals(List.of(), over, "no limit yet");

        monitor.adopt(limited(1_000_000));
        monitor.sample(Map.of(web, 10L), Instant.EPOCH.plusSeconds(1), over::add);
        assertEquals(1, over.size(), "the limit a reload set");
        assertEquals(1, monitor.memoryRestarts(web));

        monitor.adopt(limited(8_000_000));
        monitor.sample(Map.of(web, 10L), Instant.EPOCH.plusSeconds(2), over::add);
        assertEquals(1, over.size(), "raised above what it uses");
    }
}
