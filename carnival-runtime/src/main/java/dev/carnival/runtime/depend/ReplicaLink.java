package dev.carnival.runtime.depend;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.depend.Dependencies.Gate;
import dev.carnival.runtime.notify.NotifyMessage;
import dev.carnival.runtime.notify.Sender;
import dev.carnival.runtime.logs.LogLineWatch;
import dev.carnival.runtime.probe.CheckContext;
import dev.carnival.runtime.probe.ProbeScheduler;
import dev.carnival.runtime.probe.ProbeWatch;
import dev.carnival.runtime.probe.ServiceProbes;
import dev.carnival.runtime.probe.Verdict;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The seam between one replica's life and orchestration. The replica's state machine calls, in
 * this order: {@link #awaitDependencies()} before its first start (and each operator's start); {@link #started} when a
 * process runs; {@link #stopping()} before it signals that process (shutdown, operator, failed
 * liveness); {@link #exited} when it has ended; {@link #stoppedForGood()} once it will not run
 * again. Readiness and liveness run between {@code started} and {@code stopping}/{@code exited};
 * their verdicts arrive on the probe timer thread.
 */
public final class ReplicaLink {
    private final ReplicaId id;
    // Replaced by a reload (on the replica's mailbox, as started and stopping are called).
    private volatile ServiceConfig service;
    private volatile ServiceProbes probes;
    private final Dependencies dependencies;
    private final boolean independent;
    /** The probe timer: made once some service has a probe, which a reload may be the first to bring. */
    private final java.util.function.Supplier<ProbeScheduler> scheduler;
    private final ProcessControl control;
    private final Consumer<LifecycleEvent> events;
    private final AtomicLong probeFailures = new AtomicLong();

    /** Its {@code log-line} readiness, or null. */
    private final LogLineWatch lines;
    /** Counts runs, so a line matched as one run ends cannot make the next one ready. */
    private final AtomicLong runs = new AtomicLong();

    /** What stops the current run as a failed liveness probe does; null between runs. */
    private volatile Runnable stopRun;
    private volatile boolean ready;
    private volatile Gate.Failed failure;
    /** notify = true: readiness comes from READY=1 on the replica's socket, not from a probe. */
    private final boolean notifies;
    /** Guards the notify state below: messages arrive on the receiver's thread. */
    private final Object notifyLock = new Object();
    private boolean running; // guarded by notifyLock: between started and stopping/exited
    private long process; // guarded by notifyLock: the pid of the current run's process; 0 before the first
    /** Guarded by notifyLock: messages that came before started (the spawn's race), the last few. */
    private final List<Early> early = new ArrayList<>();
    private final AtomicBoolean foreignWarned = new AtomicBoolean();
    private volatile String notifyStatus;
    private volatile Run run; // the probes of the current process, if any
    private volatile Environment environment; // of the current process, for probes a reload restarts
    private Runnable livenessFailed;

    /** A notify message that came before its run had started, and who sent it. */
    private record Early(NotifyMessage message, Sender sender) {}

    private static final int MAX_EARLY = 16;

    /** The probes of one process; {@code over} once it stops being probed. */
    private record Run(ProbeWatch readiness, ProbeWatch liveness) {
        void stop() {
            if (readiness != null) {
                readiness.stop();
            }
            if (liveness != null) {
                liveness.stop();
            }
        }
    }

    ReplicaLink(ReplicaId id, ServiceConfig service, ServiceProbes probes, Dependencies dependencies,
                boolean independent, java.util.function.Supplier<ProbeScheduler> scheduler, ProcessControl control,
                Consumer<LifecycleEvent> events, LogLineWatch lines) {
        this.id = id;
        this.lines = lines;
        this.service = service;
        this.probes = probes;
        this.dependencies = dependencies;
        this.independent = independent;
        this.scheduler = scheduler;
        this.control = control;
        this.events = events;
        this.notifies = service.readiness().map(ProbeSpec::notifies).orElse(false);
    }

    /**
     * Completes when this replica may start ({@link Gate.Open}) or must stop for good
     * ({@link Gate.Failed}: stop with reason DEPENDENCY and {@link Gate.Failed#detail()}, and say so
     * with {@code DependencyFailed}, unless a shutdown came first). Publishes {@code DependencyWait}
     * when it has to wait. Asked before a first start and before each operator's start.
     */
    public CompletableFuture<Gate> awaitDependencies() {
        CompletableFuture<Gate> gate = dependencies.gate(service.name());
        if (independent || gate.isDone()) {
            return gate.thenApply(this::noteFailure);
        }
        List<String> unmet = dependencies.unmet(service.name());
        if (!unmet.isEmpty()) {
            events.accept(new LifecycleEvent.DependencyWait(Instant.now(), id, unmet));
        }
        return gate.thenApply(this::noteFailure);
    }

    /** Kept for the exit code; the replica's state machine reports it, if the failure still matters then. */
    private Gate noteFailure(Gate gate) {
        if (gate instanceof Gate.Failed f && failure == null) {
            failure = f;
        }
        return gate;
    }

    /** Why this replica's dependencies failed, once they have: its detail and exit code. */
    public Optional<Gate.Failed> dependencyFailure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Its process {@code pid} runs with {@code environment}: probes start. {@code livenessFailed}
     * is called (on the probe timer thread, at most once per process) when liveness has failed
     * {@code failure-threshold} times: the state machine then stops the process as for an exit.
     */
    public void started(Environment environment, long pid, Runnable livenessFailed) {
        dependencies.started(id);
        stopRun = livenessFailed;
        this.environment = environment;
        this.livenessFailed = livenessFailed;
        synchronized (notifyLock) {
            process = pid;
        }
        probe(environment, livenessFailed);
    }

    /**
     * A reload's new settings and probes. With {@code now}, the probes of the process that runs
     * restart with them (an update: the process stays); otherwise they take effect with the next
     * process.
     */
    public void reconfigure(ServiceConfig service, ServiceProbes probes, boolean now) {
        this.service = service;
        this.probes = probes;
        Environment env = environment;
        if (now && env != null) {
            stopping();
            environment = env;
            stopRun = livenessFailed;
            probe(env, livenessFailed);
        }
    }

    private void probe(Environment environment, Runnable livenessFailed) {
        ProbeWatch readiness = probes.readiness().map(m -> watch(m, environment, false, this::readinessVerdict)).orElse(null);
        List<Early> before;
        long pid;
        synchronized (notifyLock) {
            running = true;
            before = List.copyOf(early);
            early.clear();
            pid = process;
        }
        ready = readiness == null && !notifies && lines == null;
        before.forEach(e -> take(e.message(), e.sender(), pid));
        if (lines != null) {
            long thisRun = runs.incrementAndGet();
            lines.arm(() -> lineMatched(thisRun));
        }
        ProbeWatch liveness = probes.liveness().map(m -> watch(m, environment, true, v -> {
            if (!v.result().success()) {
                probeFailures.incrementAndGet();
            }
            if (v.changed() && !v.passing()) {
                events.accept(new LifecycleEvent.LivenessFailed(Instant.now(), id, v.failures(), v.result().detail()));
                stopping();
                livenessFailed.run();
            }
        })).orElse(null);
        run = readiness == null && liveness == null ? null : new Run(readiness, liveness);
    }

    private ProbeWatch watch(ServiceProbes.Made made, Environment environment, boolean initiallyPassing,
                             Consumer<Verdict> observer) {
        ProbeSpec spec = made.spec();
        return scheduler.get().watch(made.probe(), spec,
                ended -> new CheckContext(id, environment, service.workingDir(), spec.timeout(), control, ended),
                initiallyPassing, observer);
    }

    private void readinessVerdict(Verdict v) {
        if (!v.result().success()) {
            probeFailures.incrementAndGet();
        }
        if (!v.changed()) {
            return;
        }
        if (v.passing()) {
            becameReady(v.result().detail());
        } else {
            ready = false;
            events.accept(new LifecycleEvent.ReadinessChanged(Instant.now(), id, false, v.result().detail()));
        }
    }

    /**
     * A message sent on its {@code $NOTIFY_SOCKET} (on the receiver's thread), taken only from its
     * process, a descendant of it, or its process group: READY=1 makes a running replica ready,
     * STATUS= is kept for its status. A message that overtakes {@link #started} (the process was
     * quick) counts once that has run.
     */
    public void notified(NotifyMessage message, Sender sender) {
        long pid;
        synchronized (notifyLock) {
            if (!running) {
                if (early.size() == MAX_EARLY) {
                    early.removeFirst();
                }
                early.add(new Early(message, sender));
                return;
            }
            pid = process;
        }
        take(message, sender, pid);
    }

    private void take(NotifyMessage message, Sender sender, long pid) {
        if (!sender.belongsTo(pid)) {
            // Anyone who can write to the socket (its user's other processes) could make it ready.
            if (foreignWarned.compareAndSet(false, true)) {
                LoggerFactory.getLogger(ReplicaLink.class).warn("{}: ignored a message on its NOTIFY_SOCKET from pid {}:"
                        + " not its process {}, nor a descendant or in the process group of it", id, sender.pid() == 0 ? "?" : sender.pid(), pid);
            }
            return;
        }
        message.status().ifPresent(s -> notifyStatus = s);
        if (notifies && message.ready() && !ready) {
            becameReady("READY=1");
        }
    }

    /**
     * Readiness passed (probe, READY=1 or log line): said (ReadinessChanged) before its dependents
     * may start, so that every listener hears it first.
     */
    private void becameReady(String detail) {
        ready = true;
        events.accept(new LifecycleEvent.ReadinessChanged(Instant.now(), id, true, detail));
        dependencies.ready(id);
    }

    /** The last STATUS= its process sent on {@code $NOTIFY_SOCKET}, if any. */
    public Optional<String> notifyStatus() {
        return Optional.ofNullable(notifyStatus);
    }

    /** A line of run {@code thisRun} matched its {@code log-line}: ready, unless that run is over. */
    private void lineMatched(long thisRun) {
        synchronized (runs) {
            if (runs.get() != thisRun) {
                return;
            }
            ready = true;
        }
        becameReady("a line matched log-line '" + service.readiness().map(r -> r.target().getFirst()).orElse("") + "'");
    }

    /** A run is going: between {@link #started} and {@link #stopping}. */
    public boolean running() {
        return stopRun != null;
    }

    /**
     * Its process group stayed over its {@code max-memory}: the run is stopped as a failed liveness
     * probe stops it (a memory limit is a liveness condition), and its policy decides. False when no
     * run is going (it ended meanwhile).
     */
    public boolean overMemory() {
        Runnable stop = stopRun;
        if (stop == null) {
            return false;
        }
        stopping();
        stop.run();
        return true;
    }

    /** Its process is about to be signalled: probes stop first. */
    public void stopping() {
        stopRun = null;
        environment = null; // no process to probe from now on
        synchronized (notifyLock) {
            running = false;
        }
        if (lines != null) {
            lines.disarm();
            synchronized (runs) {
                runs.incrementAndGet();
            }
        }
        Run r = run;
        run = null;
        if (r != null) {
            r.stop();
        }
    }

    /** Its process ended; it may run again. */
    public void exited(ExitStatus status) {
        stopping();
        synchronized (notifyLock) {
            early.clear();
        }
        ready = false;
        if (lines != null) {
            lines.open();
        }
        dependencies.exited(id, status);
    }

    /** It will not run again. */
    public void stoppedForGood() {
        stopping();
        ready = false;
        dependencies.stopped(id);
    }

    /** Its process runs and passes readiness (or has no readiness probe). */
    public boolean ready() {
        return ready;
    }

    /** Readiness and liveness failures so far. */
    public long probeFailures() {
        return probeFailures.get();
    }
}
