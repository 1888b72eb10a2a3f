package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import java.util.function.BiConsumer;

/**
 * One key of a table, declared once: its kebab-case name, how its value is read, and where the
 * value goes in the table's draft {@code D}.
 *
 * @param required a missing required key is reported as "{@code <table> has no '<name>'}"
 */
record Key<D, T>(String name, ValueParser<T> parser, BiConsumer<D, T> into, boolean required) {

    /** A key that may be left out; the draft's default stands then. */
    static <D, T> Key<D, T> optional(String name, ValueParser<T> parser, BiConsumer<D, T> into) {
        return new Key<>(name, parser, into, false);
    }

    /** A key every table of its kind must have. */
    static <D, T> Key<D, T> required(String name, ValueParser<T> parser, BiConsumer<D, T> into) {
        return new Key<>(name, parser, into, true);
    }

    void bind(ConfigNode node, D draft, Scope scope) throws ConfigException {
        into.accept(draft, parser.parse(node, scope));
    }
}
