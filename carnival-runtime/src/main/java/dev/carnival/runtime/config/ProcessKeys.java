package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.UserText;

/** Keys that set how the kernel treats a service's processes: {@code oom-score-adj}. */
final class ProcessKeys {
    private ProcessKeys() {}

    private static final String EXPECTED = "a whole number from -1000 to 1000";

    /** {@code oom-score-adj}: the kernel's range, -1000 (never chosen by the OOM killer) to 1000 (chosen first). */
    static ValueParser<Integer> oomScoreAdj() {
        return (n, s) -> {
            long v = switch (n) {
                case ConfigNode.Int i -> i.value();
                case ConfigNode.Text t -> {
                    String text = Parsers.text().parse(t, s).strip();
                    try {
                        yield Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        throw new ConfigException(n.location(), s.subject() + " must be " + EXPECTED + ", got "
                                + UserText.quote(text));
                    }
                }
                default -> throw s.typeError(n, EXPECTED);
            };
            if (v < -1000 || v > 1000) {
                throw new ConfigException(n.location(), s.subject() + " must be " + EXPECTED + ", got " + v);
            }
            return (int) v;
        };
    }
}
