package dev.carnival.runtime.depend;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What every service's replicas have done, as far as their dependents care: told facts by the
 * replicas, it opens each dependent's gate once all its conditions hold, or fails it once one
 * can no longer hold; and it tells shutdown when a service's dependents are all gone.
 *
 * <p>Conditions are latched per replica: {@code started} counts replicas that have had a running
 * process, {@code ready} those that have passed readiness (a service without a readiness probe is
 * ready once started), so a quick one-shot dependency cannot be missed. A gate is asked for once,
 * before a replica's first start: restarts never wait, and nothing cascades to dependents that
 * already run. Thread-safe; every method is short.
 */
public final class Dependencies {

    /** How a dependent's wait ended. */
    public sealed interface Gate permits Gate.Open, Gate.Failed {
        /** Every condition holds: start. */
        record Open() implements Gate {}

        /**
         * {@code dependency} stopped for good without meeting {@code condition}.
         *
         * @param exitCode what Carnival exits with if the dependent is critical: the dependency's
         *                 exit code (128+N for signal N), or 1 if it never ran
         */
        record Failed(String dependency, Condition condition, String detail, int exitCode) implements Gate {}
    }

    private static final Gate OPEN = new Gate.Open();

    /** One service's replicas, counted. */
    private static final class Service {
        int replicas;
        final boolean hasReadiness;
        final Map<Integer, Replica> byIndex = new HashMap<>();
        int started;
        int ready;
        int stopped;
        int completed;
        Failure firstFailure; // the first replica that stopped for good without success
        final CompletableFuture<Gate> gate = new CompletableFuture<>();
        CompletableFuture<Void> gone = new CompletableFuture<>();

        Service(int replicas, boolean hasReadiness) {
            this.replicas = replicas;
            this.hasReadiness = hasReadiness;
            if (replicas == 0) {
                gone.complete(null);
            }
        }

        Replica replica(int index) {
            return byIndex.computeIfAbsent(index, i -> new Replica());
        }
    }

    private record Failure(String detail, int exitCode) {}

    private static final class Replica {
        boolean started;
        boolean ready;
        boolean stopped;
        ExitStatus lastExit;
    }

    private volatile DependencyGraph graph;
    private final Map<String, Service> services = new HashMap<>();
    /** The running config's services; a removed one's counts stay only until it is added again. */
    private Set<String> running;

    public Dependencies(CarnivalConfig config, DependencyGraph graph) {
        this.graph = graph;
        for (ServiceConfig s : config.services()) {
            services.put(s.name(), new Service(s.replicas(), s.readiness().isPresent()));
        }
        this.running = names(config);
        synchronized (this) {
            config.services().forEach(s -> evaluate(s.name()));
        }
    }

    /** Completes when {@code service} may start its replicas, or never will. */
    public synchronized CompletableFuture<Gate> gate(String service) {
        return services.get(service).gate;
    }

    /**
     * A reload: {@code next}'s new services are counted from now on, with {@code graph}'s relations;
     * services already running keep what they have done (conditions already met count). A service
     * removed by an earlier reload and added again starts from nothing: its gate is asked anew.
     */
    public synchronized void adopt(CarnivalConfig next, DependencyGraph graph) {
        this.graph = graph;
        for (ServiceConfig s : next.services()) {
            if (!running.contains(s.name())) {
                services.put(s.name(), new Service(s.replicas(), s.readiness().isPresent()));
            }
        }
        running = names(next);
        next.services().forEach(s -> evaluate(s.name()));
    }

    /**
     * {@code service} runs {@code replicas} replicas from now on: what the ones beyond that did is
     * forgotten (they have stopped), and a service scaled up from nothing is no longer gone.
     */
    public synchronized void resize(String service, int replicas) {
        Service s = services.get(service);
        s.byIndex.entrySet().removeIf(e -> {
            if (e.getKey() < replicas) {
                return false;
            }
            Replica r = e.getValue();
            s.started -= r.started ? 1 : 0;
            s.ready -= r.ready ? 1 : 0;
            s.stopped -= r.stopped ? 1 : 0;
            s.completed -= r.stopped && r.lastExit != null && r.lastExit.success() ? 1 : 0;
            return true;
        });
        s.replicas = replicas;
        if (s.stopped >= replicas) {
            s.gone.complete(null);
        } else if (s.gone.isDone()) {
            s.gone = new CompletableFuture<>();
        }
    }

    private static Set<String> names(CarnivalConfig config) {
        Set<String> names = new HashSet<>();
        for (ServiceConfig s : config.services()) {
            names.add(s.name());
        }
        return names;
    }

    /** The conditions of {@code service} not met yet, as {@code db (ready)}. */
    public synchronized List<String> unmet(String service) {
        List<String> unmet = new ArrayList<>();
        graph.dependenciesOf(service).forEach((dep, condition) -> {
            if (!holds(services.get(dep), condition)) {
                unmet.add(dep + " (" + condition.id() + ")");
            }
        });
        return unmet;
    }

    /** Completes once every replica of every service depending on {@code service} has stopped for good. */
    public synchronized CompletableFuture<Void> dependentsGone(String service) {
        return CompletableFuture.allOf(graph.dependentsOf(service).stream()
                .map(d -> services.get(d).gone).toArray(CompletableFuture[]::new));
    }

    /** The replica's process is running. */
    public synchronized void started(ReplicaId id) {
        Service s = services.get(id.service());
        Replica r = s.replica(id.index());
        if (!r.started) {
            r.started = true;
            s.started++;
        }
        if (!s.hasReadiness) {
            markReady(s, r);
        }
        dependentsOf(id.service());
    }

    /** The replica passed its readiness probe. */
    public synchronized void ready(ReplicaId id) {
        Service s = services.get(id.service());
        markReady(s, s.replica(id.index()));
        dependentsOf(id.service());
    }

    /** The replica's process ended with {@code status}; it may run again. */
    public synchronized void exited(ReplicaId id, ExitStatus status) {
        services.get(id.service()).replica(id.index()).lastExit = status;
    }

    /** The replica will not run again. */
    public synchronized void stopped(ReplicaId id) {
        Service s = services.get(id.service());
        Replica r = s.replica(id.index());
        if (r.stopped) {
            return;
        }
        r.stopped = true;
        s.stopped++;
        if (r.lastExit != null && r.lastExit.success()) {
            s.completed++;
        } else if (s.firstFailure == null) {
            int code = r.lastExit != null ? r.lastExit.asExitCode()
                    : s.gate.getNow(OPEN) instanceof Gate.Failed f ? f.exitCode() : 1;
            String detail = r.lastExit != null ? id + " " + r.lastExit.describe() : id + " never ran";
            s.firstFailure = new Failure(detail, code);
        }
        if (s.stopped >= s.replicas) {
            s.gone.complete(null);
        }
        dependentsOf(id.service());
    }

    private static void markReady(Service s, Replica r) {
        if (!r.ready) {
            r.ready = true;
            s.ready++;
        }
    }

    private void dependentsOf(String service) {
        graph.dependentsOf(service).forEach(this::evaluate);
    }

    private void evaluate(String service) {
        Service s = services.get(service);
        if (s.gate.isDone()) {
            return;
        }
        for (Map.Entry<String, Condition> e : graph.dependenciesOf(service).entrySet()) {
            Optional<Gate.Failed> failed = failed(e.getKey(), services.get(e.getKey()), e.getValue());
            if (failed.isPresent()) {
                s.gate.complete(failed.get());
                return;
            }
        }
        for (Map.Entry<String, Condition> e : graph.dependenciesOf(service).entrySet()) {
            if (!holds(services.get(e.getKey()), e.getValue())) {
                return;
            }
        }
        s.gate.complete(OPEN);
    }

    private static boolean holds(Service d, Condition condition) {
        return switch (condition) {
            case STARTED -> d.started >= d.replicas;
            case READY -> d.ready >= d.replicas;
            case COMPLETED -> d.completed >= d.replicas;
        };
    }

    /** The dependency can no longer meet the condition: one of its replicas stopped for good short of it. */
    private static Optional<Gate.Failed> failed(String name, Service d, Condition condition) {
        if (holds(d, condition)) {
            return Optional.empty();
        }
        for (Replica r : d.byIndex.values()) {
            boolean shortOfIt = switch (condition) {
                case STARTED -> !r.started;
                case READY -> !r.ready;
                case COMPLETED -> r.lastExit == null || !r.lastExit.success();
            };
            if (r.stopped && shortOfIt) {
                Failure f = d.firstFailure;
                String detail = f != null ? f.detail() : name + " stopped before it was " + condition.id();
                // Exit 0 short of the condition (a service that quit before it was ready) is still a failure.
                int code = f != null ? f.exitCode() : 1;
                return Optional.of(new Gate.Failed(name, condition, detail, code));
            }
        }
        return Optional.empty();
    }
}
