package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of {@code depends-on}, {@code [service.readiness]} and {@code [service.liveness]}.
 * A probe table's keys are declared once, in {@link #PROBE}; what no single key can check (exactly
 * one of exec/http/tcp/probe, options only with probe) is checked when its draft is built.
 */
final class OrchestrationKeys {
    private OrchestrationKeys() {}

    /** A probe table as bound so far. */
    private static final class ProbeDraft {
        final Map<String, List<String>> kinds = new LinkedHashMap<>(); // key -> target, as written
        String plugin;
        Map<String, String> options;
        Duration period = ProbeSpec.DEFAULT_PERIOD;
        Duration timeout = ProbeSpec.DEFAULT_TIMEOUT;
        Duration initialDelay = Duration.ZERO;
        int successThreshold = ProbeSpec.DEFAULT_SUCCESS_THRESHOLD;
        int failureThreshold = ProbeSpec.DEFAULT_FAILURE_THRESHOLD;
        boolean notify;
    }

    private static final TableKind<ProbeDraft> PROBE = TableKind.of("a probe table", ProbeDraft::new, null,
            Key.optional("exec", nonEmptyArgs(), (d, v) -> d.kinds.put("exec", v)),
            Key.optional("http", Parsers.nonEmpty(), (d, v) -> d.kinds.put("http", List.of(v))),
            Key.optional("tcp", Parsers.nonEmpty(), (d, v) -> d.kinds.put("tcp", List.of(v))),
            Key.optional("probe", Parsers.nonEmpty(), (d, v) -> {
                d.kinds.put("probe", List.of());
                d.plugin = v;
            }),
            Key.optional("log-line", MonitoringKeys.regex(), (d, v) -> d.kinds.put(ProbeSpec.LOG_LINE, List.of(v))),
            Key.optional("options", Parsers.options(), (d, v) -> d.options = v),
            Key.optional("period-ms", positiveMillis(), (d, v) -> d.period = v),
            Key.optional("timeout-ms", positiveMillis(), (d, v) -> d.timeout = v),
            Key.optional("initial-delay-ms", Parsers.millis(), (d, v) -> d.initialDelay = v),
            Key.optional("success-threshold", threshold(), (d, v) -> d.successThreshold = v),
            Key.optional("failure-threshold", threshold(), (d, v) -> d.failureThreshold = v),
            Key.optional("notify", Parsers.bool(), (d, v) -> d.notify = v));

    /**
     * {@code [service.readiness]} or {@code [service.liveness]}: a probe table.
     *
     * @param liveness Kubernetes' rule: a liveness probe's success-threshold is 1
     */
    static ValueParser<ProbeSpec> probe(boolean liveness) {
        return TableValue.of(PROBE, (n, s) -> {
            String label = "[service." + s.key() + "] of " + s.label();
            if (!(n instanceof ConfigNode.Table t)) {
                throw new ConfigException(n.location(), "'" + s.key() + "' in " + s.label()
                        + " must be a table ([service." + s.key() + "]), got " + Scope.article(n.kind()));
            }
            int before = s.shared().problems().all().size();
            ProbeDraft d = PROBE.bind(t, label, s.path(), s.shared());
            if (s.shared().problems().all().size() > before) {
                return null; // its keys' problems are reported; a half-bound probe would only add noise
            }
            if (d.notify) {
                return notifyReadiness(s, t, label, liveness);
            }
            if (d.kinds.size() != 1) {
                throw new ConfigException(t.location(), label + (d.kinds.isEmpty() ? " needs" : " has more than")
                        + " one of exec, http, tcp, probe" + (liveness ? "" : ", log-line")
                        + (d.kinds.isEmpty() ? (liveness ? "" : " (or notify = true)")
                        : " (" + String.join(", ", d.kinds.keySet()) + ")"));
            }
            String kind = d.kinds.keySet().iterator().next();
            if (d.options != null && !kind.equals("probe")) {
                throw new ConfigException(at(s, "options", t), "'options' in " + label
                        + " is for a plugin probe (probe = \"name\"), not for " + kind);
            }
            if (kind.equals(ProbeSpec.LOG_LINE)) {
                return logLine(d, liveness, label, t, s);
            }
            if (liveness && d.successThreshold != 1) {
                throw new ConfigException(at(s, "success-threshold", t), "'success-threshold' in " + label
                        + " must be 1 for a liveness probe, got " + d.successThreshold);
            }
            return new ProbeSpec(kind.equals("probe") ? d.plugin : kind, d.kinds.get(kind),
                    d.options == null ? Map.of() : d.options, d.period, d.timeout, d.initialDelay,
                    d.successThreshold, d.failureThreshold);
        });
    }

    /** Not run on a timer, so a {@code log-line} takes none of a timed probe's keys. */
    private static ProbeSpec logLine(ProbeDraft d, boolean liveness, String label, ConfigNode.Table t, Scope s)
            throws ConfigException {
        if (liveness) {
            throw new ConfigException(at(s, ProbeSpec.LOG_LINE, t), "'log-line' in " + label
                    + " is for readiness only ([service.readiness])");
        }
        for (String timed : List.of("period-ms", "timeout-ms", "initial-delay-ms", "success-threshold",
                "failure-threshold")) {
            if (s.shared().locations().containsKey(Scope.path(s.path(), timed))) {
                throw new ConfigException(at(s, timed, t), "'" + timed + "' in " + label
                        + " is for a probe run on a timer, not for log-line");
            }
        }
        return ProbeSpec.logLine(d.kinds.get(ProbeSpec.LOG_LINE).getFirst());
    }

    /**
     * {@code notify = true}: readiness by sd_notify, which Carnival does not poll, so no probe
     * kind and none of a probe's timings may stand beside it.
     */
    private static ProbeSpec notifyReadiness(Scope s, ConfigNode.Table t, String label, boolean liveness)
            throws ConfigException {
        if (liveness) {
            throw new ConfigException(at(s, "notify", t), "'notify' in " + label + " is for [service.readiness] only");
        }
        for (String key : t.entries().keySet()) {
            String kebab = TableKind.kebab(key);
            if (!kebab.equals("notify")) {
                throw new ConfigException(at(s, kebab, t), "'" + key + "' in " + label
                        + " cannot be used with notify = true (readiness comes from READY=1, not from a probe)");
            }
        }
        return ProbeSpec.notifyReadiness();
    }

    private static Location at(Scope s, String key, ConfigNode.Table table) {
        Location l = s.shared().locations().get(Scope.path(s.path(), key));
        return l != null ? l : table.location();
    }

    /**
     * {@code depends-on}: a list of service names (each waits until ready), or a table of
     * service name to condition. Each entry's location is kept at {@code depends-on.<name>}.
     */
    static ValueParser<Map<String, Condition>> dependsOn() {
        return (n, s) -> {
            Map<String, Condition> deps = new LinkedHashMap<>();
            switch (n) {
                case ConfigNode.Array a -> {
                    for (ConfigNode item : a.items()) {
                        if (!(item instanceof ConfigNode.Text t)) {
                            throw s.typeError(item, "a list of service names or a table of service = condition");
                        }
                        add(deps, s.expand(t.value()), Condition.READY, item, s);
                    }
                }
                case ConfigNode.Table t -> {
                    for (Map.Entry<String, ConfigNode> e : t.entries().entrySet()) {
                        ConfigNode v = e.getValue();
                        if (!(v instanceof ConfigNode.Text text)) {
                            throw new Scope(s.shared(), e.getKey(), s.subject(), s.path())
                                    .typeError(v, "a condition: \"started\", \"ready\" or \"completed\"");
                        }
                        String id = s.expand(text.value()).strip();
                        Condition c = Condition.of(id).orElseThrow(() -> new ConfigException(v.location(),
                                "unknown condition '" + id + "' for '" + e.getKey() + "' in " + s.subject()
                                        + " (conditions: started, ready, completed)"));
                        add(deps, e.getKey(), c, v, s);
                    }
                }
                default -> throw s.typeError(n, "a list of service names or a table of service = condition");
            }
            return deps;
        };
    }

    private static void add(Map<String, Condition> deps, String name, Condition c, ConfigNode at, Scope s)
            throws ConfigException {
        if (deps.putIfAbsent(name, c) != null) {
            throw new ConfigException(at.location(), "'" + name + "' is named twice in " + s.subject());
        }
        s.shared().locations().put(Scope.path(s.path(), name), at.location());
    }

    /** An argv (an exec probe's, a {@code stop-command}): an array of strings, not empty. */
    static ValueParser<List<String>> nonEmptyArgs() {
        ValueParser<List<String>> args = Parsers.args();
        return (n, s) -> {
            List<String> argv = new ArrayList<>(args.parse(n, s));
            if (argv.isEmpty() || argv.getFirst().isBlank()) {
                throw new ConfigException(n.location(), s.subject() + " must name a command: [\"command\", \"arg\"...]");
            }
            return argv;
        };
    }

    /** Milliseconds, at least 1. */
    static ValueParser<Duration> positiveMillis() {
        ValueParser<Duration> millis = Parsers.millis();
        return (n, s) -> {
            Duration d = millis.parse(n, s);
            if (d.isZero()) {
                throw new ConfigException(n.location(), s.subject() + " must be a number of milliseconds > 0, got 0");
            }
            return d;
        };
    }

    private static ValueParser<Integer> threshold() {
        ValueParser<Integer> count = Parsers.count();
        return (n, s) -> {
            int v = count.parse(n, s);
            if (v < 1) {
                throw new ConfigException(n.location(), s.subject() + " must be a whole number >= 1, got 0");
            }
            return v;
        };
    }
}
