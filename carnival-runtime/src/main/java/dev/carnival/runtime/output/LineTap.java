package dev.carnival.runtime.output;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;

/**
 * Sees each captured line (or piece of a long line) besides the console: a service's buffer, the
 * embedders' listeners, a readiness waiting for a line. Called on the output thread, so it must
 * not block; {@code bytes} are lent for the call only.
 */
@FunctionalInterface
public interface LineTap {
    /** Sees nothing. A class of its own, not a lambda: StartupClassesIT. */
    LineTap NONE = new Nothing();

    void line(ReplicaId replica, StdStream stream, byte[] bytes, int offset, int length, long millis,
              boolean continued);

    /** Both, this one first. */
    default LineTap andThen(LineTap next) {
        if (next == NONE) {
            return this;
        }
        if (this == NONE) {
            return next;
        }
        return (r, s, b, o, l, m, c) -> {
            line(r, s, b, o, l, m, c);
            next.line(r, s, b, o, l, m, c);
        };
    }

    /** {@link #NONE}'s class. */
    final class Nothing implements LineTap {
        private Nothing() {}

        @Override
        public void line(ReplicaId replica, StdStream stream, byte[] bytes, int offset, int length, long millis,
                         boolean continued) {
            // nothing sees the line
        }
    }
}
