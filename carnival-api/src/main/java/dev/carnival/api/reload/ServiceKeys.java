package dev.carnival.api.reload;

import dev.carnival.api.model.ServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every setting of a service, by the config key that sets it, sorted by what a change of it needs.
 * {@code ServiceKeysTest} fails when {@link ServiceConfig} gains a component that is in no list,
 * so a new key cannot be reloaded by accident as "unchanged".
 */
final class ServiceKeys {
    /** A setting, by its config key, and how to read it. */
    record Setting(String key, String component, Function<ServiceConfig, Object> value) {
        boolean differs(ServiceConfig a, ServiceConfig b) {
            return !Objects.equals(value.apply(a), value.apply(b));
        }
    }

    /** What its process is made of: a change replaces the replicas' processes. */
    static final List<Setting> PROCESS = List.of(
            new Setting("command", "command", ServiceConfig::command),
            new Setting("args", "args", ServiceConfig::args),
            new Setting("working-dir", "workingDir", ServiceConfig::workingDir),
            new Setting("env", "env", ServiceConfig::env),
            new Setting("user", "user", ServiceConfig::user),
            new Setting("group", "group", ServiceConfig::group),
            new Setting("output", "output", ServiceConfig::output),
            new Setting("oom-score-adj", "oomScoreAdj", ServiceConfig::oomScoreAdj));

    /** How it is supervised: applied to the running replicas, whose pids stay. */
    static final List<Setting> IN_PLACE = List.of(
            new Setting("restart", "restart", ServiceConfig::restart),
            new Setting("restart-delay-ms", "restartDelay", ServiceConfig::restartDelay),
            new Setting("restart-limit", "restartLimit", ServiceConfig::restartLimit),
            new Setting("stop-timeout-ms", "stopTimeout", ServiceConfig::stopTimeout),
            new Setting("stop-signal", "stopSignal", ServiceConfig::stopSignal),
            new Setting("critical", "critical", ServiceConfig::critical),
            new Setting("depends-on", "dependsOn", ServiceConfig::dependsOn),
            new Setting("readiness", "readiness", ServiceConfig::readiness),
            new Setting("liveness", "liveness", ServiceConfig::liveness),
            new Setting("log-buffer-lines", "monitoring", s -> s.monitoring().logBufferLines()),
            new Setting("max-memory", "monitoring", s -> s.monitoring().memoryLimit()),
            new Setting("schedule", "job", ServiceConfig::job),
            new Setting("success-exit-codes", "successExitCodes", ServiceConfig::successExitCodes),
            new Setting("stop-command", "stopCommand", ServiceConfig::stopCommand),
            new Setting("rollout", "rollout", s -> s.rollout().strategy()),
            new Setting("rollout-timeout-ms", "rollout", s -> s.rollout().timeout()));

    /** How many: replicas are added or removed at the end. */
    static final Setting REPLICAS = new Setting("replicas", "replicas", ServiceConfig::replicas);

    /** The service's identity: never a change (a renamed service is one removed and one added). */
    static final String NAME = "name";

    /**
     * The in-place keys whose change restarts all the same in some cases: whether the service is a
     * job at all ({@code schedule} set or not), and readiness that comes from the process itself
     * ({@code notify}) or from its output ({@code log-line}). A replica is made with those.
     */
    static List<String> remadeKeys(ServiceConfig a, ServiceConfig b) {
        List<String> keys = new ArrayList<>(2);
        if (a.job().isPresent() != b.job().isPresent()) {
            keys.add("schedule");
        }
        if (!Objects.equals(readinessSource(a), readinessSource(b))) {
            keys.add("readiness");
        }
        return keys;
    }

    static boolean remade(ServiceConfig a, ServiceConfig b) {
        return a != null && b != null && !remadeKeys(a, b).isEmpty();
    }

    /** {@code notify}, {@code log-line} with its pattern, or null for a probe or none. */
    private static Object readinessSource(ServiceConfig s) {
        return s.readiness().filter(r -> r.notifies() || r.isLogLine())
                .map(r -> r.notifies() ? "notify" : List.of("log-line", r.target())).orElse(null);
    }

    private ServiceKeys() {}
}
