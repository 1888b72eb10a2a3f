package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Limits;
import dev.carnival.api.config.UserText;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The value parsers Carnival's keys are declared with. Every string is {@link Interpolator
 * interpolated}; numbers and booleans may also be written as strings.
 */
final class Parsers {
    private Parsers() {}

    /** A string. */
    static ValueParser<String> text() {
        return (n, s) -> {
            if (n instanceof ConfigNode.Text t) {
                return expand(t, s);
            }
            throw s.typeError(n, "a string");
        };
    }

    /**
     * A text node's value, interpolated. Every string read goes through here, so a NUL, which no
     * argument, path or environment variable can carry (exec would silently cut it there), is
     * refused once, with its location.
     */
    private static String expand(ConfigNode.Text t, Scope s) throws ConfigException {
        String value = s.expand(t.value());
        int nul = value.indexOf('\0');
        if (nul >= 0) {
            throw new ConfigException(t.location(), s.subject() + " must not contain a NUL character (\\0), found one in "
                    + UserText.quote(value));
        }
        return value;
    }

    /** A service name: not blank, and no control characters (which would break or forge log lines). */
    static ValueParser<String> name() {
        ValueParser<String> text = nonEmpty();
        return (n, s) -> {
            String value = text.parse(n, s);
            int at = UserText.firstControl(value);
            if (at >= 0) {
                throw new ConfigException(n.location(), s.subject() + " must not contain control characters, found "
                        + UserText.quote(String.valueOf(value.charAt(at))) + " at character " + (at + 1) + " of "
                        + UserText.quote(value));
            }
            return value;
        };
    }

    /** A string that is not blank. */
    static ValueParser<String> nonEmpty() {
        ValueParser<String> text = text();
        return (n, s) -> {
            String value = text.parse(n, s);
            if (value.isBlank()) {
                throw new ConfigException(n.location(), s.subject() + " must not be empty");
            }
            return value;
        };
    }

    /** A user or group: a name, or a number (written as a string or not). */
    static ValueParser<String> account() {
        ValueParser<String> text = nonEmpty();
        return (n, s) -> n instanceof ConfigNode.Int i && i.value() >= 0 ? Long.toString(i.value()) : text.parse(n, s);
    }

    /** A path that is not blank. */
    static ValueParser<Path> path() {
        ValueParser<String> text = nonEmpty();
        return (n, s) -> Path.of(text.parse(n, s));
    }

    /** An array of strings; integers are taken as their digits, as the original's str() does. */
    static ValueParser<List<String>> args() {
        return (n, s) -> {
            if (!(n instanceof ConfigNode.Array array)) {
                throw s.typeError(n, "an array of strings");
            }
            List<String> args = new ArrayList<>(array.items().size());
            for (ConfigNode item : array.items()) {
                switch (item) {
                    case ConfigNode.Text t -> args.add(expand(t, s));
                    case ConfigNode.Int i -> args.add(Long.toString(i.value()));
                    default -> throw s.typeError(item, "an array of strings");
                }
            }
            return args;
        };
    }

    /** A whole number from 0 to {@link Integer#MAX_VALUE}. */
    static ValueParser<Integer> count() {
        return (n, s) -> {
            long v = number(n, s, "a whole number >= 0");
            if (v > Integer.MAX_VALUE) {
                throw new ConfigException(n.location(), s.subject() + " is too large: " + v);
            }
            return (int) v;
        };
    }

    /** A number of milliseconds, from 0 to {@link Limits#MAX_MILLIS}. */
    static ValueParser<Duration> millis() {
        return (n, s) -> {
            long v = number(n, s, "a number of milliseconds >= 0");
            if (v > Limits.MAX_MILLIS) {
                throw new ConfigException(n.location(), s.subject() + " is too large: " + v + " (the most is "
                        + Limits.MAX_MILLIS + ", 7 days)");
            }
            return Duration.ofMillis(v);
        };
    }

    /** true or false, or a string saying so in any case. */
    static ValueParser<Boolean> bool() {
        return (n, s) -> {
            if (n instanceof ConfigNode.Bool b) {
                return b.value();
            }
            if (n instanceof ConfigNode.Text t) {
                String v = expand(t, s).strip();
                if (v.equalsIgnoreCase("true")) {
                    return true;
                }
                if (v.equalsIgnoreCase("false")) {
                    return false;
                }
                throw new ConfigException(n.location(), s.subject() + " must be true or false, got " + UserText.quote(v));
            }
            throw s.typeError(n, "true or false");
        };
    }

    /** "inherit", "prefix", "raw" or "json". */
    static ValueParser<OutputMode> output() {
        ValueParser<String> text = text();
        return (n, s) -> {
            String v = text.parse(n, s).strip();
            return switch (v) {
                case "inherit" -> OutputMode.INHERIT;
                case "prefix" -> OutputMode.PREFIX;
                case "raw" -> OutputMode.RAW;
                case "json" -> OutputMode.JSON;
                default -> throw new ConfigException(n.location(), s.subject()
                        + " must be \"inherit\", \"prefix\", \"raw\" or \"json\", got " + UserText.quote(v));
            };
        };
    }

    /** {@code HOST:PORT}, as {@link ListenAddress} reads it. */
    static ValueParser<String> listenAddress() {
        ValueParser<String> text = text();
        return (n, s) -> {
            String v = text.parse(n, s).strip();
            try {
                return ListenAddress.parse(v).toString();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(n.location(), s.subject() + " " + e.getMessage());
            }
        };
    }

    /** A signal by name or number. */
    static ValueParser<Signal> signal() {
        return (n, s) -> {
            String text = switch (n) {
                case ConfigNode.Text t -> expand(t, s);
                case ConfigNode.Int i -> Long.toString(i.value());
                default -> throw s.typeError(n, "a signal name such as \"SIGTERM\"");
            };
            try {
                return Signal.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(n.location(), s.subject() + ": unknown signal " + UserText.quote(text)
                        + " (use a name such as SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH)");
            }
        };
    }

    /** A table of free-form options (for a plugin to read), by kebab-case key, every value as a string. */
    static ValueParser<Map<String, String>> options() {
        return new TableValue<>(TableValue.Shape.OPTIONS, null, (n, s) -> {
            if (!(n instanceof ConfigNode.Table t)) {
                throw s.typeError(n, "a table");
            }
            Map<String, String> options = new LinkedHashMap<>();
            Map<String, TableKind.Written> entries = TableKind.byKebab(t, "'" + s.key() + "' of " + s.label(),
                    s.shared().problems());
            for (Map.Entry<String, TableKind.Written> e : entries.entrySet()) {
                ConfigNode value = e.getValue().node();
                Scope option = new Scope(s.shared(), e.getKey(), s.subject(), Scope.path(s.path(), e.getKey()));
                options.put(e.getKey(), switch (value) {
                    case ConfigNode.Text v -> expand(v, option);
                    case ConfigNode.Int v -> Long.toString(v.value());
                    case ConfigNode.Decimal v -> Double.toString(v.value());
                    case ConfigNode.Bool v -> Boolean.toString(v.value());
                    default -> throw option.typeError(value, "a string, number or boolean");
                });
            }
            return options;
        });
    }

    /**
     * One table of {@code kind}, bound with its own declared keys: {@code [global]} at the top, or
     * one nested in another table ({@code [service.readiness]}), which messages then name with its
     * parent ({@code [service.readiness] of [[service]] 'web'}). Gives the draft; {@link
     * ValueParser#map} makes it what the parent's key wants.
     */
    static <D> ValueParser<D> table(TableKind<D> kind) {
        return TableValue.of(kind, (n, s) -> {
            boolean top = s.path().equals(s.key());
            if (!(n instanceof ConfigNode.Table t)) {
                throw new ConfigException(n.location(), (top ? "'" + s.key() + "'" : s.subject()) + " must be a table ("
                        + kind.kind() + "), got " + Scope.article(n.kind()));
            }
            return kind.bind(t, top ? kind.kind() : kind.kind() + " of " + s.label(), s.path(), s.shared());
        });
    }

    /** An array of tables of {@code kind} ({@code [[service]]}); the i-th is known as {@code label(i)} until named. */
    static <D> ValueParser<List<D>> tables(TableKind<D> kind, IntFunction<String> label) {
        return new TableValue<>(TableValue.Shape.ARRAY, kind, (n, s) -> {
            if (!(n instanceof ConfigNode.Array array)) {
                throw new ConfigException(n.location(), "'" + s.key() + "' must be an array of tables ("
                        + kind.kind() + "), got " + Scope.article(n.kind()));
            }
            List<ConfigNode.Table> tables = new ArrayList<>(array.items().size());
            for (ConfigNode item : array.items()) {
                if (!(item instanceof ConfigNode.Table t)) {
                    throw new ConfigException(item.location(), "each '" + s.key() + "' entry must be a table, got "
                            + Scope.article(item.kind()));
                }
                tables.add(t);
            }
            List<D> drafts = new ArrayList<>(tables.size());
            for (int i = 0; i < tables.size(); i++) {
                drafts.add(kind.bind(tables.get(i), label.apply(i), s.path() + "[" + i + "]", s.shared()));
            }
            return drafts;
        });
    }

    private static long number(ConfigNode n, Scope s, String expected) throws ConfigException {
        long value;
        switch (n) {
            case ConfigNode.Int i -> value = i.value();
            case ConfigNode.Text t -> {
                String expanded = expand(t, s).strip();
                try {
                    value = Long.parseLong(expanded);
                } catch (NumberFormatException e) {
                    String from = expanded.equals(t.value().strip()) ? "" : " (from " + UserText.quote(t.value()) + ")";
                    throw new ConfigException(n.location(),
                            s.subject() + " must be " + expected + ", got " + UserText.quote(expanded) + from);
                }
            }
            default -> throw s.typeError(n, expected);
        }
        if (value < 0) {
            throw new ConfigException(n.location(), s.subject() + " must be " + expected + ", got " + value);
        }
        return value;
    }
}
