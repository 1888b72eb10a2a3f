package dev.carnival.plugins.toml;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Limits;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.UserText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/** Reads any TOML 1.0 document with tomlj, and says what is wrong with one it cannot read. */
final class TomljReader {
    /** tomlj's messages may quote the input: cut them to a line. */
    private static final int MAX_MESSAGE = 200;

    private TomljReader() {}

    /** The document as a table; NestingScan has already checked it. */
    static ConfigNode.Table parse(String text, String origin) throws ConfigException {
        TomlParseResult result = Toml.parse(text);
        if (result.hasErrors()) {
            TomlParseError first = result.errors().getFirst();
            throw new ConfigException(at(origin, first.position()),
                    "invalid TOML: " + UserText.escape(first.getMessage(), MAX_MESSAGE));
        }
        return new Converter(origin).table(result, new Location(origin, 1, 1), 1);
    }

    private static Location at(String origin, TomlPosition position) {
        return position == null ? Location.of(origin) : new Location(origin, position.line(), position.column());
    }

    private record Converter(String origin) {
        ConfigNode.Table table(TomlTable table, Location location, int depth) throws ConfigException {
            checkDepth(location, depth);
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            for (String key : table.keySet()) {
                // Quoted keys may contain dots; get() would split them, so address them as one part.
                Object value = table.get(List.of(key));
                entries.put(key, node(value, at(origin, table.inputPositionOf(List.of(key))), depth));
            }
            return new ConfigNode.Table(entries, location);
        }

        /** A value inside a table or array at {@code depth}. */
        ConfigNode node(Object value, Location location, int depth) throws ConfigException {
            return switch (value) {
                case TomlTable t -> table(t, location, depth + 1);
                case TomlArray a -> array(a, location, depth + 1);
                case String s -> new ConfigNode.Text(s, location);
                case Long l -> new ConfigNode.Int(l, location);
                case Double d -> new ConfigNode.Decimal(d, location);
                case Boolean b -> new ConfigNode.Bool(b, location);
                // Dates and times have no meaning in a Carnival config: keep their text, so a
                // field that wants a string gets what was written and any other reports a type error.
                default -> new ConfigNode.Text(String.valueOf(value), location);
            };
        }

        ConfigNode.Array array(TomlArray array, Location location, int depth) throws ConfigException {
            checkDepth(location, depth);
            List<ConfigNode> items = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                TomlPosition p = array.inputPositionOf(i);
                items.add(node(array.get(i), p == null ? location : at(origin, p), depth));
            }
            return new ConfigNode.Array(items, location);
        }

        /** Dotted keys and table headers nest without brackets, so NestingScan cannot see them. */
        private static void checkDepth(Location location, int depth) throws ConfigException {
            if (depth > Limits.MAX_DEPTH) {
                throw new ConfigException(location, "TOML nested deeper than " + Limits.MAX_DEPTH + " levels");
            }
        }
    }
}
