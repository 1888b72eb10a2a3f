package dev.carnival.runtime.supervise;

import dev.carnival.api.Operation;
import dev.carnival.api.SupervisorStatus.Phase;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.depend.Orchestration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A supervisor's replicas, as their owner: it hears each one stop, knows when all have settled,
 * and stops them all at shutdown, reverse dependency order first and SIGKILL at the deadline.
 */
final class ReplicaSet implements Replica.Owner, Reloads.Host {
    /** Makes the replicas, once the supervisor exists to own them. */
    @FunctionalInterface
    interface Factory {
        List<Replica> make(Replica.Owner owner);
    }

    /** How long a process killed at the shutdown deadline gets to be reaped before we give up on it. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private final ShutdownRequest shutdown;
    private final ExitPolicy exits;
    private final Consumer<String> requestShutdown;
    private final Supplier<Phase> phase;
    /** The running config: replaced by a reload or a scale. */
    private volatile CarnivalConfig config;
    /** Replaced, never edited, by a reload or a scale: whoever reads it once has a consistent list. */
    private volatile List<Replica> replicas;
    /** Completes once every replica is stopped (for good, or for the shutdown). */
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    /** Each replica's Stopped state once this owner has been told of it. */
    private final Map<Replica, Life.Stopped> told = new ConcurrentHashMap<>();
    /** The replicas killed at the shutdown deadline, each until it has stopped. */
    private final Map<Replica, CompletableFuture<Void>> killed = new ConcurrentHashMap<>();

    /**
     * @param requestShutdown asks the supervisor to shut down, saying why (a critical service's failure)
     * @param phase           the supervisor's phase, which says whether a reload may run
     */
    ReplicaSet(CarnivalConfig config, ShutdownRequest shutdown, ExitPolicy exits, Consumer<String> requestShutdown,
               Supplier<Phase> phase, Factory factory) {
        this.config = config;
        this.phase = phase;
        this.shutdown = shutdown;
        this.exits = exits;
        this.requestShutdown = requestShutdown;
        this.replicas = factory.make(this);
    }

    @Override
    public void stopped(Replica replica, Life.Stopped stopped) {
        exits.stopped(replica, stopped).ifPresent(requestShutdown);
        told.put(replica, stopped);
        CompletableFuture<Void> awaited = killed.get(replica);
        if (awaited != null) {
            awaited.complete(null);
        }
        settle();
    }

    @Override
    public CarnivalConfig config() {
        return config;
    }

    @Override
    public void config(CarnivalConfig next) {
        config = next;
    }

    @Override
    public List<Replica> members() {
        return replicas;
    }

    @Override
    public String refusal() {
        Phase now = phase.get();
        if (shutdown.requested() || now == Phase.DRAINING) {
            return "the supervisor is shutting down";
        }
        return now == Phase.RUNNING ? null : "the supervisor is not running yet (" + now.id() + ")";
    }

    @Override
    public Replica.Owner owner() {
        return this;
    }

    /**
     * The replicas from now on (a reload or a scale): those left out must have stopped; those
     * added are begun by the caller, and told to shut down here if the shutdown came first.
     */
    @Override
    public void replace(List<Replica> next) {
        Set<Replica> before = new HashSet<>(replicas);
        Set<Replica> after = new HashSet<>(next);
        replicas = List.copyOf(next);
        if (shutdown.requested()) {
            // Added as the shutdown began: its shutdown() may have read the list before them.
            for (Replica r : next) {
                if (!before.contains(r)) {
                    r.post(new Message.ShutdownRequested());
                    r.post(new Message.Shutdown());
                }
            }
        }
        before.stream().filter(r -> !after.contains(r)).forEach(told::remove);
        settle();
    }

    boolean isEmpty() {
        return replicas.isEmpty();
    }

    /** Starts every replica; completes once all have settled. */
    CompletableFuture<Void> begin() {
        replicas.forEach(r -> r.post(new Message.Begin()));
        return settled;
    }

    /** Every replica of {@code target} in the running config; see {@link Targets}. */
    List<Replica> resolve(String target) {
        return Targets.resolve(target, replicas, config);
    }

    /**
     * Carries an operator's {@code operation} out on the replicas its target names, said first on
     * {@code events}; only stops and signals once a shutdown is under way.
     */
    CompletableFuture<Void> perform(Operation operation, Consumer<LifecycleEvent> events) {
        List<Replica> chosen = resolve(operation.target());
        boolean stopsOrSignals = operation instanceof Operation.Stop || operation instanceof Operation.SendSignal;
        if (shutdown.requested() && !stopsOrSignals) {
            return CompletableFuture.failedFuture(new IllegalStateException("the supervisor is shutting down"));
        }
        events.accept(new LifecycleEvent.OperatorRequest(Instant.now(), operation.describe(), operation.target(),
                operation.origin().id()));
        return perform(chosen, operation);
    }

    /** Carries {@code operation} out on {@code chosen}, the replicas its target names. */
    static CompletableFuture<Void> perform(List<Replica> chosen, Operation operation) {
        String origin = operation.origin().id();
        return switch (operation) {
            case Operation.Stop o -> operate(chosen, Message.Operator.Op.STOP, origin);
            case Operation.Start o -> operate(chosen, Message.Operator.Op.START, origin);
            case Operation.Restart o -> operate(chosen, Message.Operator.Op.RESTART, origin);
            case Operation.SendSignal o -> signal(chosen, o.signal());
        };
    }

    static CompletableFuture<Void> operate(List<Replica> chosen, Message.Operator.Op op, String origin) {
        List<CompletableFuture<Void>> all = new ArrayList<>(chosen.size());
        for (Replica r : chosen) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all.add(done);
            r.post(new Message.Operator(op, origin, done));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Sends {@code signal} to the process group of each running replica of {@code chosen}; completes once sent. */
    static CompletableFuture<Void> signal(List<Replica> chosen, Signal signal) {
        return CompletableFuture.allOf(chosen.stream().map(r -> r.signal(signal)).toArray(CompletableFuture[]::new));
    }

    List<ReplicaStatus> status() {
        List<ReplicaStatus> list = new ArrayList<>(replicas.size());
        replicas.forEach(r -> list.add(r.status()));
        return list;
    }

    /**
     * Sends {@code signal} to the process group of every running replica, then publishes how many
     * there were. Wired up before the first replica is asked, so the one that answers last
     * publishes the report on its mailbox before it handles anything else, a shutdown's stop
     * included; never later on the caller's thread, perhaps after the supervisor has finished.
     */
    void forward(Signal signal, EventSink events) {
        List<CompletableFuture<Boolean>> sent = replicas.stream().map(r -> new CompletableFuture<Boolean>()).toList();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenRun(() -> events.publish(
                new LifecycleEvent.SignalForwarded(Instant.now(), signal,
                        (int) sent.stream().filter(CompletableFuture::join).count())));
        for (int i = 0; i < replicas.size(); i++) {
            replicas.get(i).post(new Message.Forward(signal, sent.get(i)));
        }
    }

    /**
     * Nothing starts any more; then, in reverse dependency order, each replica stops once every
     * replica depending on its service has.
     */
    void shutdown(Orchestration orchestration) {
        for (Replica r : replicas) {
            r.post(new Message.ShutdownRequested());
            orchestration.dependentsGone(r.service().name()).whenComplete((x, e) -> r.post(new Message.Shutdown()));
        }
    }

    void killAll() {
        replicas.forEach(Replica::kill);
    }

    /**
     * Done when every replica is stopped: for good, or for the shutdown. A service an operator
     * stopped keeps the supervisor running, so it can be started again.
     */
    private void settle() {
        boolean shuttingDown = shutdown.requested();
        List<Replica> all = replicas;
        if (all.isEmpty() && !shuttingDown) {
            return; // scaled or reloaded down to nothing: it waits for the next change
        }
        for (Replica r : all) {
            // Its state is Stopped before its owner has been told (and set a critical exit code):
            // another replica's settle must not finish the supervisor in between.
            if (!(r.state() instanceof Life.Stopped s) || !s.sameStop(told.get(r))
                    || (s.reason() == StopReason.OPERATOR && !shuttingDown)) {
                return;
            }
        }
        settled.complete(null);
    }

    /**
     * Waits up to {@code limit} for every replica to stop; then kills what still runs, and waits
     * for those replicas to stop (their processes reaped), reporting any that still have one.
     */
    void awaitShutdown(Duration limit, EventSink events) {
        settle(); // operator-stopped replicas no longer hold the supervisor
        if (completes(settled, limit)) {
            return;
        }
        List<String> running = new ArrayList<>();
        for (Replica r : replicas) {
            CompletableFuture<Void> stopped = killed.computeIfAbsent(r, x -> new CompletableFuture<>());
            if (r.state() instanceof Life.Stopped) { // after the registration: a later stop completes it
                stopped.complete(null);
            } else if (r.kill()) {
                running.add(r.id().toString());
            } else {
                stopped.complete(null); // no process: nothing to wait for
                running.add(r.id() + " (" + r.status().state().id() + ", plugin code has not returned)");
            }
        }
        events.publish(new LifecycleEvent.ShutdownTimedOut(Instant.now(), limit, running));
        completes(CompletableFuture.allOf(killed.values().toArray(CompletableFuture[]::new)), AFTER_KILL);
        List<String> remaining = replicas.stream().filter(r -> !killed.get(r).isDone() && r.liveProcess().isPresent())
                .map(r -> r.id().toString()).toList();
        if (!remaining.isEmpty()) {
            events.publish(new LifecycleEvent.ShutdownIncomplete(Instant.now(), remaining));
        }
    }

    /** True if {@code future} completes within {@code limit}. */
    private static boolean completes(CompletableFuture<?> future, Duration limit) {
        try {
            future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
