package dev.carnival.plugins.toml;

import dev.carnival.api.config.ConfigNode;

/** A reading as text, to compare two readers' trees and show where they differ. */
final class Trees {
    private Trees() {}

    /** Kinds, values, positions and key order: everything a reading consists of. */
    static String dump(ConfigNode node) {
        StringBuilder out = new StringBuilder();
        dump(node, out);
        return out.toString();
    }

    private static void dump(ConfigNode node, StringBuilder out) {
        out.append(node.location().line()).append(':').append(node.location().column()).append(' ');
        switch (node) {
            case ConfigNode.Table t -> {
                out.append('{');
                t.entries().forEach((k, v) -> {
                    out.append('<').append(k).append(">=");
                    dump(v, out);
                    out.append(", ");
                });
                out.append('}');
            }
            case ConfigNode.Array a -> {
                out.append('[');
                a.items().forEach(v -> {
                    dump(v, out);
                    out.append(", ");
                });
                out.append(']');
            }
            default -> out.append(node.kind()).append('(').append(node).append(')');
        }
    }
}
