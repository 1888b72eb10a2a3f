package dev.carnival.api.reload;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ServiceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a reload would do: one {@link ServiceChange} per service of either config (the new config's
 * order, then the removed ones in the old config's order), and the settings that a reload does not
 * apply (they take effect at the next start). Computed from two validated configs; applies nothing.
 *
 * @param services   one line per service
 * @param notApplied the settings that changed but wait for the next start: {@code init},
 *                   {@code control-socket}, {@code http-listen}, and of {@code [global]}
 *                   {@code log-format}, {@code resource-period-ms}, {@code reload-signal},
 *                   {@code watch-config}
 * @param globalChanged the {@code [global]} settings that changed and apply at once, to no
 *                   service's process: {@code shutdown-timeout-ms}, {@code drain-ms},
 *                   {@code log-buffer-lines} (the buffers of the services without their own)
 */
public record ReloadPlan(List<ServiceChange> services, List<String> notApplied, List<String> globalChanged) {
    public ReloadPlan {
        services = List.copyOf(services);
        notApplied = List.copyOf(notApplied);
        globalChanged = List.copyOf(globalChanged);
    }

    /** Whether {@code shutdown-timeout-ms} changed (applied in place). */
    public boolean shutdownTimeoutChanged() {
        return globalChanged.contains("shutdown-timeout-ms");
    }

    /** The plan that takes a supervisor running {@code running} to {@code next}. */
    public static ReloadPlan between(CarnivalConfig running, CarnivalConfig next) {
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(next, "next");
        Map<String, ServiceConfig> old = new LinkedHashMap<>();
        running.services().forEach(s -> old.put(s.name(), s));
        List<ServiceChange> changes = new ArrayList<>();
        // [global] env reaches every process: a change of it is a change of each service's environment.
        boolean globalEnv = !running.global().env().equals(next.global().env());
        boolean stamps = running.global().outputTimestamps() != next.global().outputTimestamps();
        for (ServiceConfig s : next.services()) {
            ServiceConfig before = old.remove(s.name());
            changes.add(before == null ? new ServiceChange(s.name(), ReloadAction.ADD, List.of(), null, s)
                    : compare(before, s, globalEnv, stamps));
        }
        for (ServiceConfig gone : old.values()) {
            changes.add(new ServiceChange(gone.name(), ReloadAction.REMOVE, List.of(), gone, null));
        }
        GlobalConfig a = running.global();
        GlobalConfig b = next.global();
        List<String> waiting = new ArrayList<>();
        if (!running.init().equals(next.init())) {
            waiting.add("init");
        }
        // Read once at start: the addresses, the log's format, the sampler's period, the signal handlers, the watcher.
        changed(waiting, a, b, "control-socket", GlobalConfig::controlSocket);
        changed(waiting, a, b, "http-listen", GlobalConfig::httpListen);
        changed(waiting, a, b, "log-format", g -> g.monitoring().logFormat());
        changed(waiting, a, b, "resource-period-ms", g -> g.monitoring().resourcePeriod());
        changed(waiting, a, b, "reload-signal", g -> g.reload().signal());
        changed(waiting, a, b, "watch-config", g -> g.reload().watchConfig());
        List<String> global = new ArrayList<>();
        changed(global, a, b, "shutdown-timeout-ms", GlobalConfig::shutdownTimeout);
        changed(global, a, b, "drain-ms", GlobalConfig::drain);
        changed(global, a, b, "log-buffer-lines", g -> g.monitoring().logBufferLines());
        return new ReloadPlan(changes, waiting, global);
    }

    private static ServiceChange compare(ServiceConfig before, ServiceConfig after, boolean globalEnv,
                                         boolean timestamps) {
        List<String> process = changedKeys(ServiceKeys.PROCESS, before, after);
        if (globalEnv && !process.contains("env")) {
            process.add("[global] env");
        }
        // The lines of a captured service are stamped by the sink made with its replicas.
        if (timestamps && after.output() != OutputMode.INHERIT && !process.contains("output")) {
            process.add("[global] output-timestamps");
        }
        List<String> inPlace = changedKeys(ServiceKeys.IN_PLACE, before, after);
        for (String key : ServiceKeys.remadeKeys(before, after)) {
            inPlace.remove(key);
            process.add(key);
        }
        boolean scaled = ServiceKeys.REPLICAS.differs(before, after);
        List<String> all = new ArrayList<>(process);
        all.addAll(inPlace);
        if (scaled) {
            all.add(ServiceKeys.REPLICAS.key());
        }
        ReloadAction action;
        if (!process.isEmpty()) {
            action = ReloadAction.RESTART;
        } else if (!inPlace.isEmpty()) {
            action = ReloadAction.UPDATE; // with a new replica count too, when replicas changed as well
        } else if (scaled) {
            action = ReloadAction.SCALE;
        } else {
            action = ReloadAction.NONE;
        }
        return new ServiceChange(after.name(), action, all, before, after);
    }

    private static void changed(List<String> keys, GlobalConfig a, GlobalConfig b, String key,
                                Function<GlobalConfig, Object> value) {
        if (!Objects.equals(value.apply(a), value.apply(b))) {
            keys.add(key);
        }
    }

    private static List<String> changedKeys(List<ServiceKeys.Setting> settings, ServiceConfig a, ServiceConfig b) {
        List<String> keys = new ArrayList<>();
        for (ServiceKeys.Setting s : settings) {
            if (s.differs(a, b)) {
                keys.add(s.key());
            }
        }
        return keys;
    }

    /** The line for {@code service}, if either config has it. */
    public Optional<ServiceChange> of(String service) {
        return services.stream().filter(c -> c.service().equals(service)).findFirst();
    }

    /** True when applying it would change nothing at all. */
    public boolean empty() {
        return notApplied.isEmpty() && globalChanged.isEmpty()
                && services.stream().allMatch(c -> c.action() == ReloadAction.NONE);
    }
}
