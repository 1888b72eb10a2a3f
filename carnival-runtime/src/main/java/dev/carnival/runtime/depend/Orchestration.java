package dev.carnival.runtime.depend;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.notify.NotifySockets;
import dev.carnival.runtime.logs.LogLineWatch;
import dev.carnival.runtime.probe.ProbeScheduler;
import dev.carnival.runtime.probe.ServiceProbes;
import dev.carnival.runtime.process.Credentials;
import dev.carnival.runtime.process.ProcessControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Dependencies and probes for one supervisor: hands each replica its {@link ReplicaLink}, and
 * tells shutdown when a service's dependents are gone. Probes run on the supervisor's timer
 * thread, or (without one) on a timer of their own made only when some service has a probe.
 */
public final class Orchestration implements AutoCloseable {
    private volatile DependencyGraph graph;
    private final Dependencies dependencies;
    private volatile Map<String, ServiceProbes> probes;
    private final ProcessControl control;
    private final Consumer<LifecycleEvent> events;
    private final ScheduledExecutorService timer;
    private ProbeScheduler scheduler; // guarded by this: made once some service has a probe
    private NotifySockets notifySockets; // made with the first replica whose readiness is notify = true
    private final Map<ReplicaId, ReplicaLink> links = new ConcurrentHashMap<>();
    /** Each notify replica's socket, by replica: closed when the replica goes (a reload, a scale). */
    private final Map<ReplicaId, NotifySockets.Endpoint> endpoints = new ConcurrentHashMap<>();

    /**
     * @param probes each service's probes, by name (services without any may be absent)
     * @param events where readiness, liveness and dependency events go
     * @param timer  the supervisor's single-threaded timer, which probes share; or null
     */
    public Orchestration(CarnivalConfig config, DependencyGraph graph, Map<String, ServiceProbes> probes,
                         ProcessControl control, Consumer<LifecycleEvent> events, ScheduledExecutorService timer) {
        this.graph = graph;
        this.dependencies = new Dependencies(config, graph);
        this.probes = Map.copyOf(probes);
        this.control = control;
        this.events = events;
        this.timer = timer;
        schedule(probes);
    }

    private synchronized ProbeScheduler schedule(Map<String, ServiceProbes> probes) {
        boolean any = probes.values().stream().anyMatch(p -> p.readiness().isPresent() || p.liveness().isPresent());
        if (any && scheduler == null) {
            scheduler = timer != null ? ProbeScheduler.on(timer) : ProbeScheduler.ownTimer();
        }
        return scheduler;
    }

    /** The link of one replica; once per replica. */
    public ReplicaLink replica(ReplicaId id, ServiceConfig service) {
        return replica(id, service, null);
    }

    /** The link of one replica whose readiness is its {@code log-line} {@code lines} (or null for none); once per replica. */
    public ReplicaLink replica(ReplicaId id, ServiceConfig service, LogLineWatch lines) {
        ReplicaLink link = new ReplicaLink(id, service, probes.getOrDefault(service.name(), ServiceProbes.NONE),
                dependencies, graph.dependenciesOf(service.name()).isEmpty(), this::scheduler, control, events, lines);
        links.put(id, link);
        return link;
    }

    /** The link made for {@code id}, if one was. */
    public Optional<ReplicaLink> link(ReplicaId id) {
        return Optional.ofNullable(links.get(id));
    }

    /**
     * A reload: {@code next}'s dependencies and probes for the replicas made from now on; the
     * running ones keep the links they have.
     */
    public void adopt(CarnivalConfig next, DependencyGraph graph, Map<String, ServiceProbes> probes) {
        this.graph = graph;
        this.probes = Map.copyOf(probes);
        schedule(this.probes);
        dependencies.adopt(next, graph);
    }

    /** {@code service} runs {@code replicas} replicas from now on (see {@link Dependencies#resize}). */
    public void resize(String service, int replicas) {
        dependencies.resize(service, replicas);
    }

    private synchronized ProbeScheduler scheduler() {
        return scheduler;
    }

    /** The probes of {@code service}'s replicas made from now on. */
    public ServiceProbes probes(String service) {
        return probes.getOrDefault(service, ServiceProbes.NONE);
    }

    /**
     * For replica {@code id}, whose readiness is {@code notify = true}: its own sd_notify socket, writable
     * only by {@code owner} (null: Carnival's own user), whose messages go to {@code link}. Its
     * path is the replica's {@code NOTIFY_SOCKET}; it lives until the replica is
     * {@linkplain #release released} or this orchestration is closed.
     */
    public synchronized Path notifySocket(ReplicaId id, ReplicaLink link, Credentials owner) {
        try {
            if (notifySockets == null) {
                notifySockets = NotifySockets.create(Path.of(System.getProperty("java.io.tmpdir")));
            }
            NotifySockets.Endpoint endpoint = notifySockets.open(owner == null ? -1 : owner.uid(),
                    owner == null ? -1 : owner.gid(), link::notified);
            NotifySockets.Endpoint was = endpoints.put(id, endpoint);
            if (was != null) {
                was.close(); // a replica made again under the same id: its predecessor's socket goes
            }
            return endpoint.path();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make an sd_notify socket: " + e.getMessage(), e);
        }
    }

    /**
     * A replica a reload or a scale has stopped and let go: its link is forgotten and its
     * sd_notify socket, if it had one, closed and removed.
     */
    public synchronized void release(ReplicaId id) {
        links.remove(id);
        NotifySockets.Endpoint endpoint = endpoints.remove(id);
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /**
     * Completes once every replica of every service depending on {@code service} has stopped for
     * good: shutdown sends {@code service} its stop signal only then.
     */
    public CompletableFuture<Void> dependentsGone(String service) {
        return dependencies.dependentsGone(service);
    }

    /** Stops the probe timer, every probe with it, and removes the sd_notify sockets. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        synchronized (this) {
            if (notifySockets != null) {
                notifySockets.close();
            }
        }
    }
}
