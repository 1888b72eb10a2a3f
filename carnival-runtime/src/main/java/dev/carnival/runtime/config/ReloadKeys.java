package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.UserText;
import dev.carnival.api.model.RolloutSpec;
import dev.carnival.api.model.Signal;

/** The values of the keys that steer reloads: {@code rollout}, {@code rollout-timeout-ms}, {@code reload-signal}. */
final class ReloadKeys {
    private ReloadKeys() {}

    /** "rolling" or "recreate". */
    static ValueParser<RolloutSpec.Strategy> strategy() {
        ValueParser<String> text = Parsers.text();
        return (n, s) -> {
            String v = text.parse(n, s).strip();
            for (RolloutSpec.Strategy st : RolloutSpec.Strategy.values()) {
                if (st.id().equals(v)) {
                    return st;
                }
            }
            throw new ConfigException(n.location(), s.subject() + " must be \"rolling\" or \"recreate\", got "
                    + UserText.quote(v));
        };
    }

    /** SIGHUP, SIGUSR1 or SIGUSR2: the signals a container runtime or operator can send that mean nothing else. */
    static ValueParser<Signal> signal() {
        ValueParser<Signal> any = Parsers.signal();
        return (n, s) -> {
            Signal sig = any.parse(n, s);
            if (sig != Signal.HUP && sig != Signal.USR1 && sig != Signal.USR2) {
                throw new ConfigException(n.location(), s.subject() + " must be SIGHUP, SIGUSR1 or SIGUSR2, got "
                        + sig.signalName());
            }
            return sig;
        };
    }
}
