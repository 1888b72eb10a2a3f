package dev.carnival.plugins.yaml;

import dev.carnival.api.config.Limits;
import dev.carnival.api.config.UserText;
import java.util.Optional;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Sits between the YAML parser and the composer and refuses, as events stream past, what the
 * composer would otherwise build: aliases (which can expand a small file into a huge tree, the
 * "billion laughs"), merge keys, and very deep nesting (the composer recurses once per level, so
 * a file of a million {@code [} would overflow the stack).
 *
 * <p>Aliases are refused outright rather than limited: a TOML config cannot share values, so a
 * YAML one must not either, and every node then has its own location for error messages.
 */
final class GuardedParser implements Parser {
    static final int MAX_DEPTH = Limits.MAX_DEPTH;

    private final Parser delegate;
    private int depth;

    GuardedParser(Parser delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return delegate.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public Event next() {
        // The composer takes every event through next(), so checking here sees them all.
        Event event = delegate.next();
        switch (event.getEventId()) {
            case Alias -> throw new Refused("YAML aliases (*" + UserText.escape(((AliasEvent) event).getAlias().getValue(), UserText.MAX_CHARS)
                    + ") are not supported: write the value out, as a TOML config would", event.getStartMark());
            case MappingStart, SequenceStart -> {
                if (++depth > MAX_DEPTH) {
                    throw new Refused("YAML nested deeper than " + MAX_DEPTH + " levels", event.getStartMark());
                }
            }
            case MappingEnd, SequenceEnd -> depth--;
            case Scalar -> {
                if (isMergeKey((ScalarEvent) event)) {
                    throw new Refused("YAML merge keys (<<) are not supported: write the keys out", event.getStartMark());
                }
            }
            default -> {
                // Documents and the stream need no check.
            }
        }
        return event;
    }

    /**
     * The composer merges {@code <<} keys itself (a YAML 1.1 feature outside 1.2's core schema),
     * letting later keys silently override merged ones. A plain {@code <<} resolves to the merge
     * tag wherever it stands, so any plain or {@code !!merge}-tagged one is refused; a quoted
     * {@code "<<"} stays a string.
     */
    private static boolean isMergeKey(ScalarEvent scalar) {
        return scalar.getTag()
                .map(Tag.MERGE.getValue()::equals)
                .orElse(scalar.isPlain() && "<<".equals(scalar.getValue()));
    }

    /** Unchecked, to get through the composer; {@link YamlConfigSource} turns it into a ConfigException. */
    static final class Refused extends RuntimeException {
        private final transient Optional<Mark> mark;

        Refused(String message, Optional<Mark> mark) {
            super(message, null, false, false);
            this.mark = mark;
        }

        Optional<Mark> mark() {
            return mark;
        }
    }
}
