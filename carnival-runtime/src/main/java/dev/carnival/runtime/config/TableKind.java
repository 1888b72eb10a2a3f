package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.UserText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One kind of table ({@code [global]}, {@code [[service]]}, ...): its keys, declared once each,
 * and the draft their values are bound into. Binding a table checks, once for every kind, that
 * no key is written both in kebab-case and in snake_case and that every key is known.
 *
 * @param kind  how messages name a table of this kind once it has a name ({@code [[service]]})
 * @param draft makes an empty draft, holding every default
 * @param name  the draft's name once bound (then messages say {@code [[service]] 'web'}), or null
 * @param keys  in the order messages list them; bound in that order, so a naming key comes first
 */
record TableKind<D>(String kind, Supplier<D> draft, Function<D, String> name, List<Key<D, ?>> keys) {

    @SafeVarargs
    static <D> TableKind<D> of(String kind, Supplier<D> draft, Function<D, String> name, Key<D, ?>... keys) {
        return new TableKind<>(kind, draft, name, List.of(keys));
    }

    /**
     * Binds {@code table}, known as {@code label} until its name is bound, at source-map {@code path}.
     * Every problem goes to {@code shared}'s problems; the draft holds what could be bound.
     */
    D bind(ConfigNode.Table table, String label, String path, Scope.Shared shared) {
        Problems problems = shared.problems();
        if (!path.isEmpty()) {
            // The document's own keys are containers: a missing service[3] must not be found at 'service'.
            shared.locations().put(path, table.location());
        }
        Map<String, Written> remaining = byKebab(table, label, problems);
        D d = draft.get();
        String current = label;
        for (Key<D, ?> key : keys) {
            Written w = remaining.remove(key.name());
            if (w == null) {
                if (key.required()) {
                    problems.add(new ConfigException(table.location(), current + " has no '" + key.name() + "'"));
                }
                continue;
            }
            ConfigNode node = w.node();
            String keyPath = Scope.path(path, key.name());
            if (!path.isEmpty()) {
                shared.locations().put(keyPath, node.location());
            }
            Scope scope = new Scope(shared, key.name(), current, keyPath);
            problems.attempt(() -> {
                key.bind(node, d, scope);
                return null;
            }, null);
            String n = name == null ? null : name.apply(d);
            if (n != null) {
                current = kind + " " + UserText.quote(n);
            }
        }
        for (Written w : remaining.values()) {
            problems.add(new ConfigException(w.node().location(), "unknown key " + UserText.quote(w.as())
                    + " in " + current + " (known keys: " + String.join(", ", keys.stream().map(Key::name).toList()) + ")"));
        }
        return d;
    }

    /** A key as written, and its value. */
    record Written(String as, ConfigNode node) {}

    /**
     * {@code table}'s entries by kebab-case key, in document order. A key written both ways is a
     * problem (reported against {@code label}); its second spelling is dropped.
     */
    static Map<String, Written> byKebab(ConfigNode.Table table, String label, Problems problems) {
        Map<String, Written> entries = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : table.entries().entrySet()) {
            Written before = entries.putIfAbsent(kebab(e.getKey()), new Written(e.getKey(), e.getValue()));
            if (before != null) {
                problems.add(new ConfigException(e.getValue().location(), UserText.quote(before.as()) + " and "
                        + UserText.quote(e.getKey()) + " in " + label + " are the same key (kebab-case and snake_case are equivalent)"));
            }
        }
        return entries;
    }

    /** Every key is known by its kebab-case spelling; snake_case means the same. */
    static String kebab(String key) {
        return key.replace('_', '-');
    }
}
