package dev.carnival.runtime.probe;

import dev.carnival.runtime.process.Reaping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeContext;
import dev.carnival.api.probe.ProbeResult;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.compose.ProcessControls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeSchedulerTest {
    private static final ReplicaId WEB_0 = new ReplicaId("web", 0);
    private final ProbeScheduler scheduler = ProbeScheduler.ownTimer();
    private final ConcurrentLinkedQueue<Verdict> verdicts = new ConcurrentLinkedQueue<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        scheduler.close();
    }

    private static ProbeSpec spec(long periodMs, long timeoutMs, int success, int failure) {
        return new ProbeSpec("test", List.of(), Map.of(), Duration.ofMillis(periodMs), Duration.ofMillis(timeoutMs),
                Duration.ZERO, success, failure);
    }

    private static Function<CompletableFuture<Void>, ProbeContext> contexts(ProcessControl control, Duration timeout) {
        return ended -> new CheckContext(WEB_0, Environment.of(System.getenv()).with("CARNIVAL_REPLICA_ID", "0"), null,
                timeout, control, ended);
    }

    /** A probe whose n-th check (from 0) succeeds when {@code script} says so. */
    private static Probe scripted(String script) {
        AtomicInteger n = new AtomicInteger();
        return ctx -> {
            int i = n.getAndIncrement();
            boolean ok = i < script.length() ? script.charAt(i) == '+' : script.charAt(script.length() - 1) == '+';
            return CompletableFuture.completedFuture(new ProbeResult(ok, "check " + i));
        };
    }

    private List<Verdict> awaitVerdicts(int n) {
        Await.until(n + " verdicts", () -> verdicts.size() >= n);
        return List.copyOf(verdicts).subList(0, n);
    }

    @Test
    void readinessNeedsSuccessThresholdSuccessesAndFailureThresholdFailures() {
        ProbeWatch w = scheduler.watch(scripted("-++-+--+"), spec(1, 1000, 2, 2), contexts(null, Duration.ofSeconds(1)),
                false, verdicts::add);
        List<Verdict> v = awaitVerdicts(8);
        w.stop();
        // -: unready; ++: ready at the 2nd; -: still ready; +; --: unready at the 2nd; +: still unready
        assertEquals(List.of(false, false, true, true, true, true, false, false), v.stream().map(Verdict::passing).toList());
        assertEquals(List.of(false, false, true, false, false, false, true, false), v.stream().map(Verdict::changed).toList());
        assertEquals(List.of(1, 0, 0, 1, 0, 1, 2, 0), v.stream().map(Verdict::failures).toList());
    }

    @Test
    void livenessStartsPassingAndFailsAfterTheThreshold() {
        ProbeWatch w = scheduler.watch(scripted("+---"), spec(1, 1000, 1, 3), contexts(null, Duration.ofSeconds(1)),
                true, verdicts::add);
        List<Verdict> v = awaitVerdicts(4);
        w.stop();
        assertEquals(List.of(true, true, true, false), v.stream().map(Verdict::passing).toList());
        assertTrue(v.get(3).changed());
    }

    @Test
    void aCheckThatNeverAnswersIsCutAtItsTimeoutAndItsStageCompleted() {
        CompletableFuture<ProbeResult> hung = new CompletableFuture<>();
        ProbeWatch w = scheduler.watch(ctx -> hung, spec(10_000, 50, 1, 1), contexts(null, Duration.ofMillis(50)),
                true, verdicts::add);
        Verdict v = awaitVerdicts(1).getFirst();
        w.stop();
        assertEquals(ProbeResult.failure("timed out after 50ms"), v.result());
        assertTrue(hung.isCompletedExceptionally(), "the probe learns it was cut");
    }

    @Test
    void aThrowingProbeIsAFailure() {
        ProbeWatch w = scheduler.watch(ctx -> {
            throw new IllegalStateException("boom");
        }, spec(10_000, 50, 1, 1), contexts(null, Duration.ofMillis(50)), true, verdicts::add);
        Verdict v = awaitVerdicts(1).getFirst();
        w.stop();
        assertEquals("the probe failed: java.lang.IllegalStateException: boom", v.result().detail());
    }

    @Test
    void execRunsWithTheReplicaEnvironmentAndASlowCommandsGroupIsKilledAtTheTimeout() throws Exception {
        try (ProcessControl control = ProcessControls.open(Reaping.OWN_CHILDREN)) {
            Path pid = dir.resolve("pid");
            Probe slow = ctx -> ctx.exec(List.of("sh", "-c", "echo $$ > " + pid + "; sleep 30 & sleep 30"))
                    .thenApply(s -> new ProbeResult(s.success(), s.describe()));
            ProbeWatch w = scheduler.watch(slow, spec(10_000, 300, 1, 1), contexts(control, Duration.ofMillis(300)),
                    true, verdicts::add);
            Verdict v = awaitVerdicts(1).getFirst();
            w.stop();
            assertEquals("timed out after 300ms", v.result().detail());
            long group = Long.parseLong(Files.readString(pid).strip());
            Await.until("the probe's process group is gone", () -> !groupAlive(group));

            Probe env = ctx -> ctx.exec(List.of("sh", "-c", "test \"$CARNIVAL_REPLICA_ID\" = 0"))
                    .thenApply(s -> new ProbeResult(s.success(), s.describe()));
            verdicts.clear();
            ProbeWatch w2 = scheduler.watch(env, spec(10_000, 5000, 1, 1), contexts(control, Duration.ofSeconds(5)),
                    false, verdicts::add);
            Verdict ok = awaitVerdicts(1).getFirst();
            w2.stop();
            assertTrue(ok.result().success(), ok.toString());
        }
    }

    @Test
    void aMissingCommandIsAFailureNamingIt() throws Exception {
        try (ProcessControl control = ProcessControls.open(Reaping.OWN_CHILDREN)) {
            ProbeWatch w = scheduler.watch(ctx -> ctx.exec(List.of("carnival-no-such-probe"))
                            .thenApply(s -> new ProbeResult(s.success(), s.describe())),
                    spec(10_000, 5000, 1, 1), contexts(control, Duration.ofSeconds(5)), true, verdicts::add);
            Verdict v = awaitVerdicts(1).getFirst();
            w.stop();
            assertFalse(v.result().success());
            assertTrue(v.result().detail().contains("carnival-no-such-probe"), v.result().detail());
        }
    }

    @Test
    void aStoppedWatchReportsNothingMore() throws InterruptedException {
        ProbeWatch w = scheduler.watch(scripted("+"), spec(1, 1000, 1, 1), contexts(null, Duration.ofSeconds(1)),
                false, verdicts::add);
        awaitVerdicts(3);
        w.stop();
        // stop() is ordered before the timer's next task: one round trip through it settles it.
        CompletableFuture<Void> settled = new CompletableFuture<>();
        scheduler.watch(ctx -> CompletableFuture.completedFuture(ProbeResult.success("x")), spec(10_000, 1000, 1, 1),
                contexts(null, Duration.ofSeconds(1)), false, x -> settled.complete(null));
        settled.join();
        int seen = verdicts.size();
        Thread.sleep(50); // a negative check: nothing may arrive in a while
        assertEquals(seen, verdicts.size());
    }

    @Test
    void aThousandWatchesRunOnOneTimerThread() {
        AtomicInteger checks = new AtomicInteger();
        Probe p = ctx -> {
            checks.incrementAndGet();
            return CompletableFuture.completedFuture(ProbeResult.success("ok"));
        };
        List<ProbeWatch> watches = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            watches.add(scheduler.watch(p, spec(20, 1000, 1, 1), contexts(null, Duration.ofSeconds(1)), false, v -> {}));
        }
        Await.until("every watch checked twice", () -> checks.get() >= 2000);
        long timers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("carnival-probes")).count();
        watches.forEach(ProbeWatch::stop);
        assertEquals(1, timers);
    }

    private static boolean groupAlive(long pgid) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.pid() == pgid
                || h.info().commandLine().map(c -> c.contains("sleep 30")).orElse(false) && pgidOf(h.pid()) == pgid);
    }

    private static long pgidOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[2]);
        } catch (Exception e) {
            return -1;
        }
    }
}
