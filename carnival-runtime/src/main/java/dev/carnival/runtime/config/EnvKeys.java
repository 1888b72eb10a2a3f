package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.model.EnvVars;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the {@code env} and {@code env-file} keys of one table ({@code [global]}, a
 * {@code [[service]]} or an {@code [[init]]}) into the variables it sets: each env file's in
 * order, then the {@code env} table's over them. Env files are read here, at load time, relative
 * to the config file's directory, so a missing one or a bad line is a config error before
 * anything starts.
 */
final class EnvKeys {
    private final Interpolator interpolator;
    private final Path configDir;

    /** @param origin the config file, as its location names it */
    EnvKeys(Interpolator interpolator, String origin) {
        this.interpolator = interpolator;
        Path parent = Path.of(origin).getParent();
        this.configDir = parent == null ? Path.of("") : parent;
    }

    /** The variables {@code env} and {@code envFile} (either may be null) set; problems go to {@code problems}. */
    Map<String, String> bind(ConfigNode env, ConfigNode envFile, String label, Problems problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (envFile != null) {
            for (ConfigNode.Text file : problems.attempt(() -> files(envFile, label), List.<ConfigNode.Text>of())) {
                problems.attempt(() -> {
                    read(file, label, out);
                    return null;
                }, null);
            }
        }
        if (env != null) {
            table(env, label, out, problems);
        }
        return out;
    }

    private List<ConfigNode.Text> files(ConfigNode n, String label) throws ConfigException {
        String expected = "a path or an array of paths";
        return switch (n) {
            case ConfigNode.Text t -> List.of(t);
            case ConfigNode.Array a -> {
                for (ConfigNode item : a.items()) {
                    if (!(item instanceof ConfigNode.Text)) {
                        throw typeError(item, "env-file", label, expected);
                    }
                }
                yield a.items().stream().map(ConfigNode.Text.class::cast).toList();
            }
            default -> throw typeError(n, "env-file", label, expected);
        };
    }

    private void read(ConfigNode.Text file, String label, Map<String, String> out) throws ConfigException {
        String name = interpolator.expand(file.value());
        if (name.isBlank()) {
            throw new ConfigException(file.location(), "'env-file' in " + label + " must not be empty");
        }
        Path path = configDir.resolve(name);
        Map<String, String> values = EnvFile.read(path, file.location(), interpolator);
        for (String key : values.keySet()) {
            if (EnvVars.RESERVED.contains(key)) {
                throw new ConfigException(file.location(), "env-file '" + path + "' of " + label + " sets " + key
                        + ", which Carnival sets itself");
            }
        }
        out.putAll(values);
    }

    private void table(ConfigNode n, String label, Map<String, String> out, Problems problems) {
        if (!(n instanceof ConfigNode.Table t)) {
            problems.add(typeError(n, "env", label, "a table of NAME = \"value\""));
            return;
        }
        for (Map.Entry<String, ConfigNode> e : t.entries().entrySet()) {
            String key = e.getKey(); // names are case-sensitive and kept as written: no kebab/snake folding
            ConfigNode v = e.getValue();
            String value = switch (v) {
                case ConfigNode.Text s -> interpolator.expand(s.value());
                case ConfigNode.Int i -> Long.toString(i.value());
                case ConfigNode.Decimal d -> Double.toString(d.value());
                case ConfigNode.Bool b -> Boolean.toString(b.value());
                default -> {
                    problems.add(typeError(v, key, "'env' in " + label, "a string, number or boolean"));
                    yield null;
                }
            };
            if (value == null) {
                continue;
            }
            String problem = EnvVars.nameProblem(key);
            if (problem == null) {
                problem = EnvVars.valueProblem(key, value);
            }
            if (problem != null) {
                problems.add(new ConfigException(v.location(), "'env' in " + label + ": " + problem));
                continue;
            }
            out.put(key, value);
        }
    }

    private static ConfigException typeError(ConfigNode n, String key, String label, String expected) {
        String kind = n.kind();
        return new ConfigException(n.location(), "'" + key + "' in " + label + " must be " + expected + ", got "
                + ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind);
    }
}
