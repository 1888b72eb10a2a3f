package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.RestartSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns any {@link ConfigNode} tree into the typed model, the same way for every format: keys in
 * kebab-case or snake_case, {@link Interpolator environment interpolation} in every string and
 * number, numbers given as strings, the original Carnival's defaults, and an error naming the
 * key and its location for anything unknown, mistyped or out of range.
 */
public final class ConfigBinder {
    private static final List<String> TOP_KEYS = List.of("global", "init", "service");
    private static final List<String> GLOBAL_KEYS = List.of("shutdown-timeout-ms", "output", "output-timestamps");
    private static final List<String> INIT_KEYS = List.of("command", "args", "working-dir");
    private static final List<String> SERVICE_KEYS = List.of("name", "command", "args", "replicas", "restart",
            "restart-options", "restart-delay-ms", "restart-limit", "stop-timeout-ms", "stop-signal", "working-dir",
            "critical", "output");

    private final Interpolator interpolator;

    public ConfigBinder(Interpolator interpolator) {
        this.interpolator = interpolator;
    }

    /**
     * Binds a whole document. Every problem found is reported, not only the first: the exception
     * thrown is the first problem, with the others attached as {@linkplain Throwable#getSuppressed()
     * suppressed} exceptions, in document order.
     */
    public BoundConfig bind(ConfigNode.Table root) throws ConfigException {
        Problems problems = new Problems();
        Map<String, Location> locations = new HashMap<>();
        Fields top = new Fields(root, "the top level", TOP_KEYS, problems);

        GlobalConfig global = GlobalConfig.DEFAULT;
        OutputMode defaultOutput = OutputMode.INHERIT;
        ConfigNode g = top.take("global");
        if (g != null) {
            ConfigNode.Table table = problems.attempt(() -> table(g, "'global'", "a table ([global])"), null);
            if (table != null) {
                Fields f = new Fields(table, "[global]", GLOBAL_KEYS, problems);
                ConfigNode t = f.take("shutdown-timeout-ms");
                Duration shutdownTimeout = t == null ? GlobalConfig.DEFAULT.shutdownTimeout()
                        : problems.attempt(() -> millis(t, "shutdown-timeout-ms", "[global]"),
                                GlobalConfig.DEFAULT.shutdownTimeout());
                ConfigNode o = f.take("output");
                if (o != null) {
                    defaultOutput = problems.attempt(() -> output(o, "[global]"), OutputMode.INHERIT);
                }
                ConfigNode ts = f.take("output-timestamps");
                boolean timestamps = ts != null && problems.attempt(() -> bool(ts, "output-timestamps", "[global]"), false);
                global = new GlobalConfig(shutdownTimeout, timestamps);
                f.finish();
            }
        }

        List<InitCommand> init = new ArrayList<>();
        List<ConfigNode.Table> initTables = problems.attempt(() -> tables(top.take("init"), "init"), List.of());
        for (int i = 0; i < initTables.size(); i++) {
            init.add(bindInit(initTables.get(i), i, locations, problems));
        }

        List<ServiceConfig> services = new ArrayList<>();
        Map<String, Location> names = new LinkedHashMap<>();
        List<ConfigNode.Table> serviceTables = problems.attempt(() -> tables(top.take("service"), "service"), List.of());
        for (int i = 0; i < serviceTables.size(); i++) {
            ServiceConfig s = bindService(serviceTables.get(i), i, locations, problems, defaultOutput);
            if (s == null) {
                continue;
            }
            Location here = locations.get(SourceMap.service(i, "name"));
            Location first = names.putIfAbsent(s.name(), here);
            if (first != null) {
                problems.add(new ConfigException(here,
                        "duplicate service name '" + s.name() + "' (first defined at " + first + ")"));
                continue;
            }
            services.add(s);
        }
        top.finish();
        problems.throwIfAny();
        return new BoundConfig(new CarnivalConfig(global, init, services),
                new SourceMap(root.location().origin(), locations));
    }

    private InitCommand bindInit(ConfigNode.Table table, int index, Map<String, Location> locations, Problems problems) {
        String label = "[[init]] #" + (index + 1);
        locations.put(SourceMap.init(index, ""), table.location());
        Fields f = new Fields(table, label, INIT_KEYS, problems);
        String command = problems.attempt(
                () -> required(f, "command", label, locations, SourceMap.init(index, "command")), "?");
        List<String> args = problems.attempt(() -> args(f.take("args"), label), List.of());
        ConfigNode dir = f.take("working-dir");
        Path workingDir = problems.attempt(
                () -> workingDir(dir, label, locations, SourceMap.init(index, "working-dir")), null);
        f.finish();
        return new InitCommand(command, args, workingDir);
    }

    /** Null when the service has no usable name: it cannot be told apart from the others. */
    private ServiceConfig bindService(ConfigNode.Table table, int index, Map<String, Location> locations,
                                      Problems problems, OutputMode defaultOutput) {
        locations.put(SourceMap.service(index, ""), table.location());
        Fields f = new Fields(table, "[[service]] #" + (index + 1), SERVICE_KEYS, problems);
        String name = problems.attempt(() -> required(f, "name", f.label, locations, SourceMap.service(index, "name")), null);
        String label = name == null ? f.label : "[[service]] '" + name + "'";
        f.label = label;
        String command = problems.attempt(
                () -> required(f, "command", label, locations, SourceMap.service(index, "command")), "?");
        ServiceConfig.Builder b = ServiceConfig.builder(name == null ? "?" : name, command);
        b.args(problems.attempt(() -> args(f.take("args"), label), List.of()));
        ConfigNode replicas = f.take("replicas");
        if (replicas != null) {
            b.replicas(problems.attempt(() -> count(replicas, "replicas", label), 1));
        }
        ConfigNode restart = f.take("restart");
        ConfigNode options = f.take("restart-options");
        String policy = RestartSpec.NO.policy();
        if (restart != null) {
            locations.put(SourceMap.service(index, "restart"), restart.location());
            policy = problems.attempt(() -> string(restart, "restart", label), policy);
        }
        Map<String, String> opts = Map.of();
        if (options != null) {
            locations.put(SourceMap.service(index, "restart-options"), options.location());
            opts = problems.attempt(() -> restartOptions(options, label), opts);
        }
        b.restart(new RestartSpec(policy, opts));
        ConfigNode n = f.take("restart-delay-ms");
        if (n != null) {
            b.restartDelay(problems.attempt(() -> millis(n, "restart-delay-ms", label), Duration.ZERO));
        }
        ConfigNode limit = f.take("restart-limit");
        if (limit != null) {
            b.restartLimit(problems.attempt(() -> count(limit, "restart-limit", label), 0));
        }
        ConfigNode stopTimeout = f.take("stop-timeout-ms");
        if (stopTimeout != null) {
            b.stopTimeout(problems.attempt(() -> millis(stopTimeout, "stop-timeout-ms", label), Duration.ZERO));
        }
        ConfigNode stopSignal = f.take("stop-signal");
        if (stopSignal != null) {
            b.stopSignal(problems.attempt(() -> signal(stopSignal, label), Signal.TERM));
        }
        ConfigNode dir = f.take("working-dir");
        b.workingDir(problems.attempt(
                () -> workingDir(dir, label, locations, SourceMap.service(index, "working-dir")), null));
        ConfigNode critical = f.take("critical");
        if (critical != null) {
            b.critical(problems.attempt(() -> bool(critical, "critical", label), false));
        }
        ConfigNode output = f.take("output");
        b.output(output == null ? defaultOutput : problems.attempt(() -> output(output, label), defaultOutput));
        f.finish();
        return name == null ? null : b.build();
    }

    private String required(Fields f, String key, String label, Map<String, Location> locations, String path)
            throws ConfigException {
        ConfigNode n = f.take(key);
        if (n == null) {
            throw new ConfigException(f.table.location(), label + " has no '" + key + "'");
        }
        String value = string(n, key, label);
        if (value.isBlank()) {
            throw new ConfigException(n.location(), "'" + key + "' in " + label + " must not be empty");
        }
        locations.put(path, n.location());
        return value;
    }

    private Path workingDir(ConfigNode n, String label, Map<String, Location> locations, String path)
            throws ConfigException {
        if (n == null) {
            return null;
        }
        String dir = string(n, "working-dir", label);
        if (dir.isBlank()) {
            throw new ConfigException(n.location(), "'working-dir' in " + label + " must not be empty");
        }
        locations.put(path, n.location());
        return Path.of(dir);
    }

    private String string(ConfigNode n, String key, String label) throws ConfigException {
        if (n instanceof ConfigNode.Text t) {
            return interpolator.expand(t.value());
        }
        throw typeError(n, key, label, "a string");
    }

    private List<String> args(ConfigNode n, String label) throws ConfigException {
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof ConfigNode.Array array)) {
            throw typeError(n, "args", label, "an array of strings");
        }
        List<String> args = new ArrayList<>(array.items().size());
        for (ConfigNode item : array.items()) {
            switch (item) {
                case ConfigNode.Text t -> args.add(interpolator.expand(t.value()));
                // The original passes numbers through str(); keep that for integers.
                case ConfigNode.Int i -> args.add(Long.toString(i.value()));
                default -> throw typeError(item, "args", label, "an array of strings");
            }
        }
        return args;
    }

    private long number(ConfigNode n, String key, String label, String expected) throws ConfigException {
        long value;
        switch (n) {
            case ConfigNode.Int i -> value = i.value();
            case ConfigNode.Text t -> {
                String expanded = interpolator.expand(t.value()).strip();
                try {
                    value = Long.parseLong(expanded);
                } catch (NumberFormatException e) {
                    String from = expanded.equals(t.value().strip()) ? "" : " (from '" + t.value() + "')";
                    throw new ConfigException(n.location(),
                            "'" + key + "' in " + label + " must be " + expected + ", got '" + expanded + "'" + from);
                }
            }
            default -> throw typeError(n, key, label, expected);
        }
        if (value < 0) {
            throw new ConfigException(n.location(), "'" + key + "' in " + label + " must be " + expected + ", got " + value);
        }
        return value;
    }

    private int count(ConfigNode n, String key, String label) throws ConfigException {
        long v = number(n, key, label, "a whole number >= 0");
        if (v > Integer.MAX_VALUE) {
            throw new ConfigException(n.location(), "'" + key + "' in " + label + " is too large: " + v);
        }
        return (int) v;
    }

    private Duration millis(ConfigNode n, String key, String label) throws ConfigException {
        return Duration.ofMillis(number(n, key, label, "a number of milliseconds >= 0"));
    }

    private boolean bool(ConfigNode n, String key, String label) throws ConfigException {
        if (n instanceof ConfigNode.Bool b) {
            return b.value();
        }
        if (n instanceof ConfigNode.Text t) {
            String v = interpolator.expand(t.value()).strip();
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new ConfigException(n.location(), "'" + key + "' in " + label + " must be true or false, got '" + v + "'");
        }
        throw typeError(n, key, label, "true or false");
    }

    private OutputMode output(ConfigNode n, String label) throws ConfigException {
        String v = string(n, "output", label).strip();
        return switch (v) {
            case "inherit" -> OutputMode.INHERIT;
            case "prefix" -> OutputMode.PREFIX;
            default -> throw new ConfigException(n.location(),
                    "'output' in " + label + " must be \"inherit\" or \"prefix\", got '" + v + "'");
        };
    }

    private Signal signal(ConfigNode n, String label) throws ConfigException {
        String text = switch (n) {
            case ConfigNode.Text t -> interpolator.expand(t.value());
            case ConfigNode.Int i -> Long.toString(i.value());
            default -> throw typeError(n, "stop-signal", label, "a signal name such as \"SIGTERM\"");
        };
        try {
            return Signal.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(n.location(), "'stop-signal' in " + label + ": " + e.getMessage()
                    + " (use a name such as SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH)");
        }
    }

    private Map<String, String> restartOptions(ConfigNode n, String label) throws ConfigException {
        ConfigNode.Table t = table(n, "'restart-options' in " + label, "a table");
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> written = new HashMap<>();
        for (Map.Entry<String, ConfigNode> e : t.entries().entrySet()) {
            String key = kebab(e.getKey());
            String before = written.putIfAbsent(key, e.getKey());
            String value = switch (e.getValue()) {
                case ConfigNode.Text s -> interpolator.expand(s.value());
                case ConfigNode.Int i -> Long.toString(i.value());
                case ConfigNode.Decimal d -> Double.toString(d.value());
                case ConfigNode.Bool b -> Boolean.toString(b.value());
                default -> throw typeError(e.getValue(), key, "'restart-options' in " + label, "a string, number or boolean");
            };
            if (before != null) {
                throw new ConfigException(e.getValue().location(), "'" + before + "' and '" + e.getKey()
                        + "' in 'restart-options' of " + label + " are the same key (kebab-case and snake_case are equivalent)");
            }
            options.put(key, value);
        }
        return options;
    }

    private static ConfigNode.Table table(ConfigNode n, String what, String expected) throws ConfigException {
        if (n instanceof ConfigNode.Table t) {
            return t;
        }
        throw new ConfigException(n.location(), what + " must be " + expected + ", got " + article(n.kind()));
    }

    private static List<ConfigNode.Table> tables(ConfigNode n, String key) throws ConfigException {
        if (n == null) {
            return List.of();
        }
        String expected = "an array of tables ([[" + key + "]])";
        if (!(n instanceof ConfigNode.Array array)) {
            throw new ConfigException(n.location(), "'" + key + "' must be " + expected + ", got " + article(n.kind()));
        }
        List<ConfigNode.Table> tables = new ArrayList<>();
        for (ConfigNode item : array.items()) {
            tables.add(table(item, "each '" + key + "' entry", "a table"));
        }
        return tables;
    }

    private static ConfigException typeError(ConfigNode n, String key, String label, String expected) {
        return new ConfigException(n.location(),
                "'" + key + "' in " + label + " must be " + expected + ", got " + article(n.kind()));
    }

    private static String article(String kind) {
        return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    static String kebab(String key) {
        return key.replace('_', '-');
    }

    /** The keys of one table, by kebab-case name; what is not taken is unknown. */
    private static final class Fields {
        final ConfigNode.Table table;
        final Map<String, ConfigNode> remaining = new LinkedHashMap<>();
        final Map<String, String> written = new HashMap<>();
        final List<String> known;
        final Problems problems;
        String label;

        Fields(ConfigNode.Table table, String label, List<String> known, Problems problems) {
            this.table = table;
            this.label = label;
            this.known = known;
            this.problems = problems;
            for (Map.Entry<String, ConfigNode> e : table.entries().entrySet()) {
                String key = kebab(e.getKey());
                String before = written.putIfAbsent(key, e.getKey());
                if (before != null) {
                    problems.add(new ConfigException(e.getValue().location(), "'" + before + "' and '" + e.getKey()
                            + "' in " + label + " are the same key (kebab-case and snake_case are equivalent)"));
                    continue;
                }
                remaining.put(key, e.getValue());
            }
        }

        ConfigNode take(String key) {
            return remaining.remove(key);
        }

        void finish() {
            for (Map.Entry<String, ConfigNode> e : remaining.entrySet()) {
                problems.add(new ConfigException(e.getValue().location(), "unknown key '" + written.get(e.getKey())
                        + "' in " + label + " (known keys: " + String.join(", ", known) + ")"));
            }
            remaining.clear();
        }
    }
}
