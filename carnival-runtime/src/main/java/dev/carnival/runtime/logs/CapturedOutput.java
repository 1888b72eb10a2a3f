package dev.carnival.runtime.logs;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.output.OutputListener;
import dev.carnival.api.output.StdStream;
import dev.carnival.runtime.output.CapturedLines;
import dev.carnival.runtime.output.Console;
import dev.carnival.runtime.output.LineTap;
import dev.carnival.runtime.process.OutputSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a supervisor's captured output goes besides the console: each captured service's
 * {@link LogBuffers buffer}, the embedders' {@link OutputListeners}, and a {@link LogLineWatch}
 * per replica of a service whose readiness is a {@code log-line}. Makes each replica's sinks.
 */
public final class CapturedOutput {
    /** Whether prefixed lines carry the time ({@code output-timestamps}): a reload may change it. */
    private volatile boolean timestamps;
    private final LogBuffers buffers;
    private final OutputListeners listeners;
    private final Map<ReplicaId, LogLineWatch> watches = new HashMap<>();

    public CapturedOutput(CarnivalConfig config, List<OutputListener> listeners) {
        this.timestamps = config.global().outputTimestamps();
        this.buffers = new LogBuffers(capacities(config));
        this.listeners = new OutputListeners(listeners);
    }

    private static Map<String, Integer> capacities(CarnivalConfig config) {
        Map<String, Integer> capacities = new LinkedHashMap<>();
        for (ServiceConfig s : config.services()) {
            if (s.output().captured()) {
                capacities.put(s.name(), s.monitoring().bufferLines(config.global().monitoring()));
            }
        }
        return capacities;
    }

    /**
     * A reload, before any replica of {@code next} is made or given a new setup: a buffer for each
     * service it captures, of its {@code log-buffer-lines} (the global one included), and its
     * {@code output-timestamps} for the sinks made from now on.
     */
    public void adopt(CarnivalConfig next) {
        buffers.adopt(capacities(next));
        timestamps = next.global().outputTimestamps();
    }

    /** The replica is gone (removed, scaled away, or about to be made again): its log-line watch goes too. */
    public synchronized void forget(ReplicaId id) {
        watches.remove(id);
    }

    /** The captured services' buffers, for {@code carnival logs}. */
    public LogBuffers buffers() {
        return buffers;
    }

    /**
     * The sink of one stream of one replica of {@code service}: null when its output is inherited
     * (the process writes to Carnival's own stdout and stderr itself).
     */
    public OutputSink sink(ServiceConfig service, ReplicaId id, StdStream stream) {
        if (!service.output().captured()) {
            return null;
        }
        LineTap tap = buffers.tap(service.name()).andThen(listeners.tap());
        LogLineWatch watch = watch(service, id).orElse(null);
        if (watch != null) {
            tap = tap.andThen(watch);
        }
        return CapturedLines.of(service.output(), timestamps,
                stream == StdStream.STDOUT ? Console.OUT : Console.ERR, tap, id, stream);
    }

    /** The replica's log-line readiness, if its service has one; the same watch for both streams. */
    public synchronized Optional<LogLineWatch> watch(ServiceConfig service, ReplicaId id) {
        return service.readiness().filter(r -> r.isLogLine())
                .map(r -> watches.computeIfAbsent(id, i -> new LogLineWatch(r.target().getFirst())));
    }

    /** Wakes every {@code logs -f} reader for good and gives the listeners up to {@code timeout} for their lines. */
    public void close(Duration timeout) {
        buffers.close();
        listeners.close(timeout);
    }
}
