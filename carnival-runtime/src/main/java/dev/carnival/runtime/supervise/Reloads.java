package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.reload.ReloadAction;
import dev.carnival.api.reload.ReloadPlan;
import dev.carnival.api.reload.ReloadResult;
import dev.carnival.api.reload.ServiceChange;
import dev.carnival.api.reload.ServiceOutcome;
import dev.carnival.runtime.reload.Rollout;
import dev.carnival.runtime.supervise.Message.Operator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Live changes of a running supervisor: reloads, scaling and rolling restarts, one at a time (each
 * waits for the one before it). Membership changes go through the {@link Host}: the supervisor's
 * list of replicas is replaced, never edited, so status and shutdown read a consistent one.
 */
public final class Reloads {
    /** How often a new replica is looked at while a rollout waits for it to run and be ready. */
    static final Duration READY_POLL = Duration.ofMillis(10);
    private static final String ORIGIN = "reload";

    /** What the supervisor lets a reload see and change. */
    interface Host {
        CarnivalConfig config();

        /** Makes {@code next} the running config (target resolution, shutdown timeout...). */
        void config(CarnivalConfig next);

        List<Replica> members();

        /** Replaces the replicas: those gone must have stopped; the new ones are begun by the caller. */
        void replace(List<Replica> next);

        /** Null when a reload may run now, or why not. */
        String refusal();

        Replica.Owner owner();
    }

    private final ReplicaMaker maker;
    private final ConfigResolver resolver;
    /** Each service as it runs now, by name. */
    private final Map<String, ConfigResolver.Service> current = new HashMap<>();
    private final AtomicLong generation = new AtomicLong(1);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong halted = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null); // guarded by this
    /** The changes asked for that have not begun yet. Guarded by this. */
    private int unstarted;
    /** Completes (and is replaced) each time a change begins. Guarded by this. */
    private CompletableFuture<Void> begun = new CompletableFuture<>();
    /** Each service the change under way touches, with when that change ends. Guarded by this. */
    private final Map<String, CompletableFuture<Void>> busy = new HashMap<>();
    private Host host;
    /** What follows the running config besides the replicas: buffers, the resource monitor. */
    private final List<Consumer<CarnivalConfig>> followers = new CopyOnWriteArrayList<>();

    Reloads(ReplicaMaker maker, ConfigResolver resolver, List<ConfigResolver.Service> services) {
        this.maker = maker;
        this.resolver = resolver;
        services.forEach(s -> current.put(s.config().name(), s));
    }

    void attach(Host host) {
        this.host = host;
        maker.jobs().attach(host::members);
    }

    /** {@code follower} is told each new config before any replica is made or given a setup from it. */
    void follow(Consumer<CarnivalConfig> follower) {
        followers.add(follower);
    }

    long generation() {
        return generation.get();
    }

    ReloadPlan plan(CarnivalConfig next) {
        return ReloadPlan.between(host.config(), next);
    }

    /**
     * One change (a reload, a scale, a rolling restart) from the moment it is asked for: until it
     * {@linkplain #begin begins}, nobody knows which services it will touch; from then on, only
     * operations on those wait for it.
     */
    private static final class Change {
        final CompletableFuture<Void> end = new CompletableFuture<>();
        boolean begun; // guarded by the Reloads
    }

    /** {@code work} once every change asked for before it is done. */
    private synchronized <T> CompletableFuture<T> serial(Function<Change, CompletableFuture<T>> work) {
        Change change = new Change();
        unstarted++;
        CompletableFuture<T> run = tail.handle((x, e) -> null).thenCompose(x -> {
            String refusal = host.refusal();
            if (refusal != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(refusal));
            }
            try {
                return work.apply(change);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
        run.whenComplete((x, e) -> {
            ended(change);
            change.end.complete(null); // outside the lock: the operations it held run on from here
        });
        tail = run;
        return run;
    }

    /**
     * {@code change} touches {@code services} from now on, until it ends: operations on them wait.
     * Called before it touches anything, so an operation let through before it has posted its
     * messages first (under this lock) and the change's messages come after them.
     */
    private synchronized void begin(Change change, Set<String> services) {
        if (change.begun) {
            return;
        }
        change.begun = true;
        unstarted--;
        services.forEach(s -> busy.put(s, change.end));
        CompletableFuture<Void> was = begun;
        begun = new CompletableFuture<>();
        was.complete(null);
    }

    /** {@code change} is over: its services are no longer busy. */
    private synchronized void ended(Change change) {
        begin(change, Set.of()); // a refused or failed change that never began
        busy.values().removeIf(end -> end == change.end);
    }

    /**
     * {@code work} (an operator's operation on {@code target}) at once when no change touches the
     * target's service, else once the changes that do are done: it then finds the replicas they
     * left. A change not begun yet may touch any service: the operation waits until it has begun.
     */
    <T> CompletableFuture<T> afterChanges(String target, Supplier<CompletableFuture<T>> work) {
        int slash = target.lastIndexOf('/');
        Set<String> services = slash > 0 ? Set.of(target, target.substring(0, slash)) : Set.of(target);
        CompletableFuture<?> blocking;
        synchronized (this) {
            blocking = unstarted > 0 ? begun : services.stream().map(busy::get)
                    .filter(f -> f != null && !f.isDone()).findFirst().orElse(null);
            if (blocking == null) {
                return work.get(); // its messages are posted before any change begins
            }
        }
        return blocking.handle((x, e) -> null).thenCompose(x -> afterChanges(target, work));
    }

    /** Applies {@code next}, asked for by {@code origin} ({@code api}, {@code socket}, {@code signal SIGHUP}, {@code watch}). */
    public CompletableFuture<ReloadResult> reload(CarnivalConfig next, String origin) {
        return serial(change -> apply(next, change)).thenApply(result -> {
            (result.halted().isPresent() ? halted : applied).incrementAndGet();
            maker.events().publish(new LifecycleEvent.ReloadApplied(Instant.now(), origin, result));
            return result;
        });
    }

    /** A reload whose config file had {@code problems}: nothing applied. */
    public void rejected(String origin, List<String> problems) {
        invalid.incrementAndGet();
        maker.events().publish(new LifecycleEvent.ReloadRejected(Instant.now(), origin, problems));
    }

    /** How many reloads ended with {@code result}: {@code applied}, {@code invalid} or {@code halted}. */
    public long count(String result) {
        return switch (result) {
            case "applied" -> applied.get();
            case "halted" -> halted.get();
            case "invalid" -> invalid.get();
            default -> throw new IllegalArgumentException("no reload result '" + result + "'");
        };
    }

    private CompletableFuture<ReloadResult> apply(CarnivalConfig next, Change change) {
        ConfigResolver.Resolved resolved = resolver.resolve(next);
        ReloadPlan plan = ReloadPlan.between(host.config(), next);
        begin(change, plan.services().stream().filter(c -> c.action() != ReloadAction.NONE)
                .map(ServiceChange::service).collect(Collectors.toSet()));
        Map<String, ConfigResolver.Service> services = new LinkedHashMap<>();
        resolved.services().forEach(s -> services.put(s.config().name(), s));
        CarnivalConfig before = host.config();
        maker.orchestration().adopt(next, resolved.graph(), resolved.probes());
        host.config(next);
        followers.forEach(f -> f.accept(next));
        List<ServiceOutcome> outcomes = new ArrayList<>();
        CompletableFuture<Void> chain = removals(plan, before, outcomes);
        for (ServiceChange c : plan.services()) {
            if (c.action() == ReloadAction.REMOVE) {
                continue;
            }
            ConfigResolver.Service s = services.get(c.service());
            chain = chain.thenCompose(x -> change(c, s)).thenAccept(outcomes::add);
        }
        return chain.thenApply(x -> {
            List<ServiceOutcome> ordered = new ArrayList<>();
            for (ServiceChange c : plan.services()) {
                outcomes.stream().filter(o -> o.service().equals(c.service())).findFirst().ifPresent(ordered::add);
            }
            long g = plan.empty() ? generation.get() : generation.incrementAndGet();
            return new ReloadResult(g, plan, ordered);
        });
    }

    /** The removed services, each once the removed services depending on it have stopped. */
    private CompletableFuture<Void> removals(ReloadPlan plan, CarnivalConfig before, List<ServiceOutcome> outcomes) {
        List<String> left = new ArrayList<>(plan.services().stream()
                .filter(c -> c.action() == ReloadAction.REMOVE).map(ServiceChange::service).toList());
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        while (!left.isEmpty()) {
            List<String> round = left.stream().filter(s -> before.services().stream()
                    .filter(d -> left.contains(d.name()))
                    .noneMatch(d -> d.dependsOn().containsKey(s))).toList();
            if (round.isEmpty()) {
                round = List.copyOf(left); // a validated config has no cycle; never stuck all the same
            }
            left.removeAll(round);
            List<String> now = round;
            chain = chain.thenCompose(x -> CompletableFuture.allOf(now.stream()
                    .map(name -> shrink(name, 0).thenRun(() -> {
                        synchronized (outcomes) {
                            outcomes.add(ServiceOutcome.done(name, ReloadAction.REMOVE));
                        }
                        current.remove(name);
                    })).toArray(CompletableFuture[]::new)));
        }
        return chain;
    }

    private CompletableFuture<ServiceOutcome> change(ServiceChange c, ConfigResolver.Service s) {
        String name = c.service();
        int want = s.config().replicas();
        return switch (c.action()) {
            case NONE -> {
                current.put(name, s);
                yield CompletableFuture.completedFuture(ServiceOutcome.done(name, c.action()));
            }
            case ADD -> {
                current.put(name, s);
                yield grow(s, want).thenApply(x -> ServiceOutcome.done(name, c.action()));
            }
            case SCALE, UPDATE -> {
                current.put(name, s);
                yield resize(s, want).thenCompose(x -> reconfigure(s))
                        .thenApply(x -> ServiceOutcome.done(name, c.action()));
            }
            case RESTART -> {
                current.put(name, s);
                if (c.remakesReplicas()) {
                    // Made with what changed (a job's clock, a notify socket, a log-line watch): made again.
                    yield shrink(name, 0).thenCompose(x -> grow(s, want))
                            .thenApply(x -> ServiceOutcome.done(name, c.action()));
                }
                yield shrink(name, want).thenCompose(x -> roll(s)).thenCompose(outcome -> outcome.halted().isPresent()
                        ? CompletableFuture.completedFuture(outcome)
                        : grow(s, want).thenApply(x -> outcome));
            }
            case REMOVE -> throw new IllegalArgumentException("removals go first");
        };
    }

    /** Hands every replica of the service its new setup; their processes are left alone. */
    private CompletableFuture<Void> reconfigure(ConfigResolver.Service s) {
        List<Replica> of = of(s.config().name());
        maker.jobs().update(s.config(), of);
        return CompletableFuture.allOf(of.stream()
                .map(r -> r.reconfigure(maker.setup(s, r.id().index(), of.size()), true))
                .toArray(CompletableFuture[]::new));
    }

    /** Rolls {@code s}'s replicas onto its new setup with its rollout strategy. */
    private CompletableFuture<ServiceOutcome> roll(ConfigResolver.Service s) {
        String name = s.config().name();
        List<Replica> of = of(name);
        if (s.config().job().isPresent()) {
            // A job runs when its schedule says, not when it is rolled: each replica takes the new
            // setup for its next run; a run under way ends as it began.
            maker.jobs().update(s.config(), of);
            return CompletableFuture.allOf(of.stream()
                    .map(r -> r.reconfigure(maker.setup(s, r.id().index(), of.size()), false))
                    .toArray(CompletableFuture[]::new)).thenApply(x -> ServiceOutcome.done(name, ReloadAction.RESTART));
        }
        Duration timeout = s.config().rollout().timeout();
        Rollout.Replicas replicas = new Rollout.Replicas() {
            @Override
            public CompletableFuture<Void> replace(int index) {
                Replica r = of.get(index);
                return r.reconfigure(maker.setup(s, index, s.config().replicas()), false)
                        .thenCompose(x -> operate(r, Operator.Op.RESTART))
                        .thenCompose(x -> ready(r, timeout));
            }

            @Override
            public CompletableFuture<Void> stop(int index) {
                Replica r = of.get(index);
                return r.reconfigure(maker.setup(s, index, s.config().replicas()), false)
                        .thenCompose(x -> operate(r, Operator.Op.STOP));
            }

            @Override
            public CompletableFuture<Void> start(int index) {
                Replica r = of.get(index);
                return operate(r, Operator.Op.START).thenCompose(x -> ready(r, timeout));
            }
        };
        List<Integer> indexes = of.stream().map(r -> r.id().index()).toList();
        return Rollout.run(s.config().rollout().strategy(), indexes, replicas).thenApply(result ->
                result instanceof Rollout.Result.Halted h
                        ? new ServiceOutcome(name, ReloadAction.RESTART, Optional.of(name + "/" + h.index()),
                                h.reason())
                        : ServiceOutcome.done(name, ReloadAction.RESTART));
    }

    /** {@code restart --rolling}: the service's replicas replaced with the setup they have. */
    CompletableFuture<ServiceOutcome> rollingRestart(String service) {
        return serial(change -> {
            ConfigResolver.Service s = known(service);
            begin(change, Set.of(service));
            return roll(s);
        });
    }

    CompletableFuture<Void> scale(String service, int replicas) {
        if (replicas < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "replicas must be 0 or more, not " + replicas));
        }
        return serial(change -> {
            ConfigResolver.Service s = known(service);
            begin(change, Set.of(service));
            ConfigResolver.Service scaled = new ConfigResolver.Service(withReplicas(s.config(), replicas), s.policy(),
                    s.control(), s.environment());
            current.put(service, scaled);
            CarnivalConfig c = host.config();
            host.config(new CarnivalConfig(c.global(), c.init(), c.services().stream()
                    .map(x -> x.name().equals(service) ? scaled.config() : x).toList()));
            return resize(scaled, replicas);
        });
    }

    private ConfigResolver.Service known(String service) {
        ConfigResolver.Service s = current.get(service);
        if (s == null) {
            throw new IllegalArgumentException("unknown service '" + service + "'");
        }
        return s;
    }

    private CompletableFuture<Void> resize(ConfigResolver.Service s, int replicas) {
        return shrink(s.config().name(), replicas).thenCompose(x -> grow(s, replicas));
    }

    /** Stops the replicas of {@code service} from index {@code keep} on, then lets them go. */
    private CompletableFuture<Void> shrink(String service, int keep) {
        List<Replica> extra = of(service).stream().filter(r -> r.id().index() >= keep).toList();
        if (extra.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(extra.stream().map(r -> operate(r, Operator.Op.STOP))
                .toArray(CompletableFuture[]::new)).handle((x, e) -> {
                    synchronized (this) {
                        List<Replica> next = new ArrayList<>(host.members());
                        next.removeAll(extra);
                        host.replace(next);
                    }
                    extra.forEach(r -> {
                        maker.output().forget(r.id());
                        maker.orchestration().release(r.id());
                    });
                    if (keep == 0) {
                        maker.jobs().remove(service);
                    }
                    maker.orchestration().resize(service, keep);
                    return null;
                });
    }

    /** Adds replicas of {@code s} at the end up to {@code replicas}, and starts them. */
    private CompletableFuture<Void> grow(ConfigResolver.Service s, int replicas) {
        String name = s.config().name();
        int have = of(name).size();
        if (have >= replicas) {
            return CompletableFuture.completedFuture(null);
        }
        maker.orchestration().resize(name, replicas);
        List<Replica> added = new ArrayList<>();
        for (int i = have; i < replicas; i++) {
            added.add(maker.make(s, i, replicas, host.owner()));
        }
        synchronized (this) {
            List<Replica> next = new ArrayList<>(host.members());
            // After the service's last replica (or at the end): status lists a service's replicas together.
            int at = next.size();
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).id().service().equals(name)) {
                    at = i + 1;
                }
            }
            next.addAll(at, added);
            host.replace(next);
        }
        added.forEach(r -> r.post(new Message.Begin()));
        return CompletableFuture.completedFuture(null);
    }

    private List<Replica> of(String service) {
        return host.members().stream().filter(r -> r.id().service().equals(service)).toList();
    }

    private static CompletableFuture<Void> operate(Replica r, Operator.Op op) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        r.post(new Operator(op, ORIGIN, done));
        return done;
    }

    /** Completes once {@code r} runs and, with a readiness probe, is ready; fails after {@code timeout}. */
    private CompletableFuture<Void> ready(Replica r, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long polls = Math.max(1, timeout.toNanos() / READY_POLL.toNanos());
        look(r, done, polls, timeout);
        return done;
    }

    private void look(Replica r, CompletableFuture<Void> done, long left, Duration timeout) {
        Life s = r.state();
        boolean probed = r.service().readiness().isPresent();
        if (s instanceof Life.Running && (!probed || r.link().ready())) {
            done.complete(null);
        } else if (s instanceof Life.Stopped st) {
            done.completeExceptionally(new IllegalStateException(r.id() + " stopped (" + st.reason().name()
                    .toLowerCase(java.util.Locale.ROOT) + ")"));
        } else if (left == 0) {
            done.completeExceptionally(new IllegalStateException(r.id() + " not " + (probed ? "ready" : "running")
                    + " within " + timeout.toMillis() + " ms"));
        } else {
            maker.delays().schedule(READY_POLL, () -> look(r, done, left - 1, timeout));
        }
    }

    private static ServiceConfig withReplicas(ServiceConfig c, int replicas) {
        return new ServiceConfig(c.name(), c.command(), c.args(), replicas, c.restart(), c.restartDelay(),
                c.restartLimit(), c.stopTimeout(), c.stopSignal(), c.workingDir(), c.critical(), c.output(), c.env(),
                c.user(), c.group(), c.dependsOn(), c.readiness(), c.liveness(), c.monitoring(), c.job(),
                c.successExitCodes(), c.stopCommand(), c.oomScoreAdj(), c.rollout());
    }
}
