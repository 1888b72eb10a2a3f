package dev.carnival.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A format-neutral document tree, as a {@link ConfigSource} reads it. Every node knows where it
 * was written, so errors found while binding can point at the file, line and column.
 */
public sealed interface ConfigNode
        permits ConfigNode.Table, ConfigNode.Array, ConfigNode.Text, ConfigNode.Int, ConfigNode.Decimal,
        ConfigNode.Bool {

    /** Where this node was written. */
    Location location();

    /** A short word for error messages: "table", "array", "string", "integer", "float", "boolean". */
    String kind();

    /** Keys to values, in the order written. */
    record Table(Map<String, ConfigNode> entries, Location location) implements ConfigNode {
        /** Copies the entries, keeping their order. */
        public Table {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String kind() {
            return "table";
        }
    }

    /** A list of values. */
    record Array(List<ConfigNode> items, Location location) implements ConfigNode {
        /** Copies the items. */
        public Array {
            items = List.copyOf(items);
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String kind() {
            return "array";
        }
    }

    /** A string. */
    record Text(String value, Location location) implements ConfigNode {
        /** Rejects a null value. */
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "string";
        }
    }

    /** An integer. */
    record Int(long value, Location location) implements ConfigNode {
        @Override
        public String kind() {
            return "integer";
        }
    }

    /** A floating-point number. */
    record Decimal(double value, Location location) implements ConfigNode {
        @Override
        public String kind() {
            return "float";
        }
    }

    /** A boolean. */
    record Bool(boolean value, Location location) implements ConfigNode {
        @Override
        public String kind() {
            return "boolean";
        }
    }
}
