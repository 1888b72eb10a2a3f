package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
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
    private static final List<String> GLOBAL_KEYS = List.of("shutdown-timeout-ms");
    private static final List<String> INIT_KEYS = List.of("command", "args", "working-dir");
    private static final List<String> SERVICE_KEYS = List.of("name", "command", "args", "replicas", "restart",
            "restart-options", "restart-delay-ms", "restart-limit", "stop-timeout-ms", "stop-signal", "working-dir",
            "critical");

    private final Interpolator interpolator;

    public ConfigBinder(Interpolator interpolator) {
        this.interpolator = interpolator;
    }

    /** Binds a whole document. */
    public BoundConfig bind(ConfigNode.Table root) throws ConfigException {
        Map<String, Location> locations = new HashMap<>();
        Fields top = new Fields(root, "the top level", TOP_KEYS);

        GlobalConfig global = GlobalConfig.DEFAULT;
        ConfigNode g = top.take("global");
        if (g != null) {
            Fields f = new Fields(table(g, "'global'", "a table ([global])"), "[global]", GLOBAL_KEYS);
            ConfigNode t = f.take("shutdown-timeout-ms");
            if (t != null) {
                global = new GlobalConfig(millis(t, "shutdown-timeout-ms", "[global]"));
            }
            f.finish();
        }

        List<InitCommand> init = new ArrayList<>();
        List<ConfigNode.Table> initTables = tables(top.take("init"), "init");
        for (int i = 0; i < initTables.size(); i++) {
            init.add(bindInit(initTables.get(i), i, locations));
        }

        List<ServiceConfig> services = new ArrayList<>();
        Map<String, Location> names = new LinkedHashMap<>();
        List<ConfigNode.Table> serviceTables = tables(top.take("service"), "service");
        for (int i = 0; i < serviceTables.size(); i++) {
            ServiceConfig s = bindService(serviceTables.get(i), i, locations);
            Location here = locations.get(SourceMap.service(i, "name"));
            Location first = names.putIfAbsent(s.name(), here);
            if (first != null) {
                throw new ConfigException(here, "duplicate service name '" + s.name() + "' (first defined at " + first + ")");
            }
            services.add(s);
        }
        top.finish();
        return new BoundConfig(new CarnivalConfig(global, init, services),
                new SourceMap(root.location().origin(), locations));
    }

    private InitCommand bindInit(ConfigNode.Table table, int index, Map<String, Location> locations)
            throws ConfigException {
        String label = "[[init]] #" + (index + 1);
        locations.put(SourceMap.init(index, ""), table.location());
        Fields f = new Fields(table, label, INIT_KEYS);
        String command = required(f, "command", label, locations, SourceMap.init(index, "command"));
        List<String> args = args(f.take("args"), label);
        Path workingDir = workingDir(f.take("working-dir"), label, locations, SourceMap.init(index, "working-dir"));
        f.finish();
        return new InitCommand(command, args, workingDir);
    }

    private ServiceConfig bindService(ConfigNode.Table table, int index, Map<String, Location> locations)
            throws ConfigException {
        locations.put(SourceMap.service(index, ""), table.location());
        Fields f = new Fields(table, "[[service]] #" + (index + 1), SERVICE_KEYS);
        String name = required(f, "name", f.label, locations, SourceMap.service(index, "name"));
        String label = "[[service]] '" + name + "'";
        f.label = label;
        ServiceConfig.Builder b = ServiceConfig.builder(name,
                required(f, "command", label, locations, SourceMap.service(index, "command")));
        b.args(args(f.take("args"), label));
        ConfigNode n;
        if ((n = f.take("replicas")) != null) {
            b.replicas(count(n, "replicas", label));
        }
        ConfigNode restart = f.take("restart");
        ConfigNode options = f.take("restart-options");
        if (restart != null || options != null) {
            String policy = restart == null ? RestartSpec.NO.policy() : string(restart, "restart", label);
            if (restart != null) {
                locations.put(SourceMap.service(index, "restart"), restart.location());
            }
            if (options != null) {
                locations.put(SourceMap.service(index, "restart-options"), options.location());
            }
            b.restart(new RestartSpec(policy, options == null ? Map.of() : restartOptions(options, label)));
        }
        if ((n = f.take("restart-delay-ms")) != null) {
            b.restartDelay(millis(n, "restart-delay-ms", label));
        }
        if ((n = f.take("restart-limit")) != null) {
            b.restartLimit(count(n, "restart-limit", label));
        }
        if ((n = f.take("stop-timeout-ms")) != null) {
            b.stopTimeout(millis(n, "stop-timeout-ms", label));
        }
        if ((n = f.take("stop-signal")) != null) {
            b.stopSignal(signal(n, label));
        }
        b.workingDir(workingDir(f.take("working-dir"), label, locations, SourceMap.service(index, "working-dir")));
        if ((n = f.take("critical")) != null) {
            b.critical(bool(n, "critical", label));
        }
        f.finish();
        return b.build();
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
        for (Map.Entry<String, ConfigNode> e : t.entries().entrySet()) {
            String key = kebab(e.getKey());
            String value = switch (e.getValue()) {
                case ConfigNode.Text s -> interpolator.expand(s.value());
                case ConfigNode.Int i -> Long.toString(i.value());
                case ConfigNode.Decimal d -> Double.toString(d.value());
                case ConfigNode.Bool b -> Boolean.toString(b.value());
                default -> throw typeError(e.getValue(), key, "'restart-options' in " + label, "a string, number or boolean");
            };
            if (options.put(key, value) != null) {
                throw new ConfigException(e.getValue().location(),
                        "key '" + e.getKey() + "' given twice in 'restart-options' of " + label + " (kebab-case and snake_case name the same key)");
            }
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
        String label;

        Fields(ConfigNode.Table table, String label, List<String> known) throws ConfigException {
            this.table = table;
            this.label = label;
            this.known = known;
            for (Map.Entry<String, ConfigNode> e : table.entries().entrySet()) {
                String key = kebab(e.getKey());
                String before = written.putIfAbsent(key, e.getKey());
                if (before != null) {
                    throw new ConfigException(e.getValue().location(), "'" + before + "' and '" + e.getKey()
                            + "' in " + label + " are the same key (kebab-case and snake_case are equivalent)");
                }
                remaining.put(key, e.getValue());
            }
        }

        ConfigNode take(String key) {
            return remaining.remove(key);
        }

        void finish() throws ConfigException {
            if (remaining.isEmpty()) {
                return;
            }
            Map.Entry<String, ConfigNode> e = remaining.entrySet().iterator().next();
            throw new ConfigException(e.getValue().location(), "unknown key '" + written.get(e.getKey()) + "' in "
                    + label + " (known keys: " + String.join(", ", known) + ")");
        }
    }
}
