package dev.carnival.plugins.yaml;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.UserText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;

/**
 * Turns one composed YAML document into a {@link ConfigNode} tree. Scalars take the type the
 * YAML 1.2 core schema resolved (so {@code no} and {@code on} stay strings, unlike YAML 1.1);
 * {@code path} names the value in messages, e.g. {@code service[0].args[1]}.
 */
record TreeBuilder(String origin) {

    ConfigNode.Table document(Node root) throws ConfigException {
        if (!(root instanceof MappingNode map)) {
            throw new ConfigException(at(root), "the top level of a YAML config must be a map (of init, service"
                    + " and global), found " + describe(root));
        }
        return table(map, "", at(root));
    }

    private ConfigNode node(Node node, String path, Location location) throws ConfigException {
        return switch (node) {
            case MappingNode map -> table(map, path, location);
            case SequenceNode seq -> array(seq, path, location);
            case ScalarNode scalar -> scalar(scalar, path, location);
            // AnchorNode only appears for recursive aliases, which GuardedParser refuses.
            default -> throw new ConfigException(location, "unsupported YAML node at " + UserText.quote(path));
        };
    }

    private ConfigNode.Table table(MappingNode map, String path, Location location) throws ConfigException {
        requireTag(map, Tag.MAP, path);
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        Map<String, Location> firstSeen = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Location keyAt = at(keyNode);
            String key = key(keyNode, path);
            Location earlier = firstSeen.putIfAbsent(key, keyAt);
            if (earlier != null) {
                throw new ConfigException(keyAt, "duplicate key " + UserText.quote(child(path, key)) + " (first written at line "
                        + earlier.line() + ", column " + earlier.column() + ")");
            }
            // A value is located at its key, as TOML values are: binder errors then point at the
            // key they are about, the same way for both formats.
            entries.put(key, node(tuple.getValueNode(), child(path, key), keyAt));
        }
        return new ConfigNode.Table(entries, location);
    }

    private ConfigNode.Array array(SequenceNode seq, String path, Location location) throws ConfigException {
        requireTag(seq, Tag.SEQ, path);
        List<ConfigNode> items = new ArrayList<>(seq.getValue().size());
        int index = 0;
        for (Node item : seq.getValue()) {
            items.add(node(item, path + "[" + index++ + "]", at(item)));
        }
        return new ConfigNode.Array(items, location);
    }

    private String key(Node keyNode, String parent) throws ConfigException {
        if (keyNode instanceof ScalarNode scalar) {
            Tag tag = scalar.getTag();
            if (tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG)) {
                return scalar.getValue();
            }
        }
        throw new ConfigException(at(keyNode), "keys must be strings, found " + describe(keyNode) + " as a key"
                + in(parent) + " (quote it to make it a string)");
    }

    private ConfigNode scalar(ScalarNode scalar, String path, Location location) throws ConfigException {
        Tag tag = scalar.getTag();
        String value = scalar.getValue();
        // ENV is snakeyaml's own tag for plain ${VAR} scalars; Carnival's binder interpolates
        // those, so they are ordinary strings here.
        if (tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG)) {
            return new ConfigNode.Text(value, location);
        }
        if (tag.equals(Tag.INT)) {
            return new ConfigNode.Int(integer(value, path, location), location);
        }
        if (tag.equals(Tag.FLOAT)) {
            return new ConfigNode.Decimal(decimal(value, path, location), location);
        }
        if (tag.equals(Tag.BOOL)) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> new ConfigNode.Bool(true, location);
                case "false" -> new ConfigNode.Bool(false, location);
                default -> throw new ConfigException(location, UserText.quote(value) + " at " + UserText.quote(path) + " is not a boolean");
            };
        }
        if (tag.equals(Tag.NULL)) {
            throw new ConfigException(location, "null value for " + UserText.quote(path)
                    + ": Carnival has no nulls (write \"\" for an empty string, or leave the key out)");
        }
        throw new ConfigException(location, "unsupported YAML tag " + shortTag(tag) + " at " + UserText.quote(path));
    }

    private static long integer(String value, String path, Location location) throws ConfigException {
        // The core schema's integer forms: decimal with optional sign, 0o octal, 0x hex.
        if (!CoreScalarResolver.INT.matcher(value).matches()) {
            throw new ConfigException(location, UserText.quote(value) + " at " + UserText.quote(path) + " is not an integer");
        }
        try {
            if (value.startsWith("0o")) {
                return Long.parseLong(value.substring(2), 8);
            }
            if (value.startsWith("0x")) {
                return Long.parseLong(value.substring(2), 16);
            }
            return Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
        } catch (NumberFormatException e) {
            throw new ConfigException(location, "integer " + UserText.escape(value, UserText.MAX_CHARS) + " at " + UserText.quote(path) + " is out of range");
        }
    }

    private static double decimal(String value, String path, Location location) throws ConfigException {
        if (!CoreScalarResolver.FLOAT.matcher(value).matches()) {
            throw new ConfigException(location, UserText.quote(value) + " at " + UserText.quote(path) + " is not a number");
        }
        return switch (value) {
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" -> Double.POSITIVE_INFINITY;
            case "-.inf", "-.Inf", "-.INF" -> Double.NEGATIVE_INFINITY;
            case ".nan", ".NaN", ".NAN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }

    private void requireTag(Node node, Tag expected, String path) throws ConfigException {
        if (!node.getTag().equals(expected)) {
            throw new ConfigException(at(node), "unsupported YAML tag " + shortTag(node.getTag())
                    + (path.isEmpty() ? "" : " at " + UserText.quote(path)));
        }
    }

    private Location at(Node node) {
        return YamlConfigSource.at(origin, node.getStartMark());
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String in(String path) {
        return path.isEmpty() ? "" : " in " + UserText.quote(path);
    }

    private static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a map";
            case SequenceNode s -> "a list";
            case ScalarNode s when s.getTag().equals(Tag.STR) -> "the string " + UserText.quote(s.getValue());
            case ScalarNode s when s.getTag().equals(Tag.NULL) -> "null";
            case ScalarNode s when s.getTag().equals(Tag.INT) -> "the integer " + UserText.escape(s.getValue(), UserText.MAX_CHARS);
            case ScalarNode s when s.getTag().equals(Tag.FLOAT) -> "the float " + UserText.escape(s.getValue(), UserText.MAX_CHARS);
            case ScalarNode s when s.getTag().equals(Tag.BOOL) -> "the boolean " + UserText.escape(s.getValue(), UserText.MAX_CHARS);
            case ScalarNode s -> "a value tagged " + shortTag(s.getTag());
            default -> "an unsupported node";
        };
    }

    private static String shortTag(Tag tag) {
        String v = tag.getValue();
        return UserText.escape(v.startsWith(Tag.PREFIX) ? "!!" + v.substring(Tag.PREFIX.length()) : v, UserText.MAX_CHARS);
    }
}
