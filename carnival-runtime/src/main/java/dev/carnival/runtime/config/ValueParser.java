package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import java.util.function.Function;

/** Reads one value of a config tree; {@link Parsers} has the ones Carnival's keys use. */
@FunctionalInterface
interface ValueParser<T> {
    /** The value {@code node} stands for, or a problem naming {@code scope}'s key and table. */
    T parse(ConfigNode node, Scope scope) throws ConfigException;

    /** This parser's value turned into another: a nested table's draft into its record, say. */
    default <R> ValueParser<R> map(Function<? super T, ? extends R> f) {
        return (n, s) -> f.apply(parse(n, s));
    }
}
