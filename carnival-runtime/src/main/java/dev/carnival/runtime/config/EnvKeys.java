package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.UserText;
import dev.carnival.api.model.EnvVars;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code env} and {@code env-file} keys of {@code [global]}, {@code [[service]]} and
 * {@code [[init]]}: a table's variables are its env files', in order, then its {@code env}
 * table's over them ({@link #merge}). Env files are read while binding, relative to the config
 * file's directory, so a missing one or a bad line is a config error before anything starts.
 */
final class EnvKeys {
    private EnvKeys() {}

    /** {@code env = { NAME = "value" }}: strings interpolated, numbers and booleans as their text. */
    static ValueParser<Map<String, String>> table() {
        return (n, s) -> {
            if (!(n instanceof ConfigNode.Table t)) {
                throw s.typeError(n, "a table of NAME = \"value\"");
            }
            Map<String, String> out = new LinkedHashMap<>();
            // Names are kept as written: case matters, and no kebab/snake folding applies to them.
            for (Map.Entry<String, ConfigNode> e : t.entries().entrySet()) {
                String key = e.getKey();
                ConfigNode v = e.getValue();
                String value = switch (v) {
                    case ConfigNode.Text x -> s.expand(x.value());
                    case ConfigNode.Int x -> Long.toString(x.value());
                    case ConfigNode.Decimal x -> Double.toString(x.value());
                    case ConfigNode.Bool x -> Boolean.toString(x.value());
                    default -> {
                        s.shared().problems().add(new ConfigException(v.location(), UserText.quote(key) + " in "
                                + s.subject() + " must be a string, number or boolean, got " + Scope.article(v.kind())));
                        yield null;
                    }
                };
                String problem = value == null ? null : EnvVars.nameProblem(key);
                if (problem == null && value != null) {
                    problem = EnvVars.valueProblem(key, value);
                }
                if (problem != null) {
                    s.shared().problems().add(new ConfigException(v.location(), s.subject() + ": " + problem));
                } else if (value != null) {
                    out.put(key, value);
                }
            }
            return out;
        };
    }

    /** {@code env-file = "path"} or a list of paths: the files' variables, later files winning. */
    static ValueParser<Map<String, String>> files() {
        return (n, s) -> {
            List<ConfigNode> files = switch (n) {
                case ConfigNode.Text t -> List.of(t);
                case ConfigNode.Array a -> a.items();
                default -> throw s.typeError(n, "a path or an array of paths");
            };
            Map<String, String> out = new LinkedHashMap<>();
            for (ConfigNode file : files) {
                s.shared().problems().attempt(() -> {
                    out.putAll(read(file, s));
                    return null;
                }, null);
            }
            return out;
        };
    }

    private static Map<String, String> read(ConfigNode file, Scope s) throws ConfigException {
        if (!(file instanceof ConfigNode.Text t)) {
            throw s.typeError(file, "a path or an array of paths");
        }
        String name = s.expand(t.value());
        if (name.isBlank()) {
            throw new ConfigException(file.location(), s.subject() + " must not be empty");
        }
        // Relative to the config file: its location's origin is the path it was read from.
        Path parent = Path.of(file.location().origin()).getParent();
        Path path = parent == null ? Path.of(name) : parent.resolve(name);
        s.shared().envFiles().add(path);
        Map<String, String> values = EnvFile.read(path, file.location(), s.shared().interpolator());
        for (String key : values.keySet()) {
            if (EnvVars.RESERVED.contains(key)) {
                throw new ConfigException(file.location(), "env-file " + UserText.quote(path.toString()) + " of "
                        + s.label() + " sets " + key + ", which Carnival sets itself");
            }
        }
        return values;
    }

    /** The env files' variables with the {@code env} table's over them. */
    static Map<String, String> merge(Map<String, String> files, Map<String, String> env) {
        if (files.isEmpty()) {
            return env;
        }
        Map<String, String> merged = new LinkedHashMap<>(files);
        merged.putAll(env);
        return merged;
    }
}
