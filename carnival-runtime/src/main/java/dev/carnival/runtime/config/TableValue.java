package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import java.util.function.Function;

/**
 * The parser of a key whose value is a table: one of Carnival's own {@link TableKind}s, once or as
 * an array, or a plugin's free-form options. Binding is {@code parser}'s alone; the shape is kept
 * so that {@link KeyReference} can list every key the binder knows from its own declarations.
 * A nested table therefore gets its parser from {@link Parsers#table}, {@link Parsers#tables},
 * {@link Parsers#options} or {@link #of}, never from a bare lambda.
 *
 * @param kind the table's kind; null for {@link Shape#OPTIONS}, whose keys are a plugin's
 */
record TableValue<T>(Shape shape, TableKind<?> kind, ValueParser<T> parser) implements ValueParser<T> {

    /** How a table-valued key is written. */
    enum Shape {
        /** {@code [global]}, {@code [service.readiness]}. */
        TABLE,
        /** {@code [[service]]}. */
        ARRAY,
        /** {@code [service.restart-options]}: keys a plugin reads. */
        OPTIONS
    }

    /** One table of {@code kind}, bound by {@code parser} (which adds checks of its own). */
    static <T> TableValue<T> of(TableKind<?> kind, ValueParser<T> parser) {
        return new TableValue<>(Shape.TABLE, kind, parser);
    }

    @Override
    public T parse(ConfigNode node, Scope scope) throws ConfigException {
        return parser.parse(node, scope);
    }

    @Override
    public <R> ValueParser<R> map(Function<? super T, ? extends R> f) {
        return new TableValue<>(shape, kind, parser.map(f));
    }
}
