package dev.carnival.runtime.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One table of the config and the keys the binder knows in it, as the configuration reference
 * names them: {@code [global]}, {@code [[service]]}, {@code [service.readiness]}. Listed from the
 * binder's own declarations, so a key added there is listed here without further work.
 *
 * @param heading the table as TOML writes it
 * @param keys    its keys in kebab-case, in declaration order; empty for {@link TableValue.Shape#OPTIONS},
 *                whose keys are a plugin's
 */
record KeyReference(String heading, TableValue.Shape shape, List<String> keys) {

    /** Every table below the document's own, parents before their nested tables. */
    static List<KeyReference> all() {
        List<KeyReference> out = new ArrayList<>();
        walk(ConfigBinder.document(), "", out);
        return out;
    }

    private static void walk(TableKind<?> kind, String path, List<KeyReference> out) {
        for (Key<?, ?> key : kind.keys()) {
            if (!(key.parser() instanceof TableValue<?> table)) {
                continue;
            }
            String child = path.isEmpty() ? key.name() : path + "." + key.name();
            String heading = table.shape() == TableValue.Shape.ARRAY ? "[[" + child + "]]" : "[" + child + "]";
            List<String> keys = table.kind() == null ? List.of() : table.kind().keys().stream().map(Key::name).toList();
            out.add(new KeyReference(heading, table.shape(), keys));
            if (table.kind() != null) {
                walk(table.kind(), child, out);
            }
        }
    }
}
