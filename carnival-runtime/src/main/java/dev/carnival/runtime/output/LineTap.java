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

    /**
     * Sees the lines of one read, in order, all read at {@code millis}: by default one {@link #line}
     * call each. A tap that takes a lock for a line takes it once here.
     */
    default void lines(ReplicaId replica, StdStream stream, LineBatch batch, long millis) {
        for (int k = 0; k < batch.count(); k++) {
            line(replica, stream, batch.bytes(), batch.start(k), batch.length(k), millis, batch.continued(k));
        }
    }

    /** Both, this one first. */
    default LineTap andThen(LineTap next) {
        if (next == NONE) {
            return this;
        }
        if (this == NONE) {
            return next;
        }
        return new Both(this, next);
    }

    /** Two taps, each given whole batches. */
    record Both(LineTap first, LineTap second) implements LineTap {
        @Override
        public void line(ReplicaId replica, StdStream stream, byte[] bytes, int offset, int length, long millis,
                         boolean continued) {
            first.line(replica, stream, bytes, offset, length, millis, continued);
            second.line(replica, stream, bytes, offset, length, millis, continued);
        }

        @Override
        public void lines(ReplicaId replica, StdStream stream, LineBatch batch, long millis) {
            first.lines(replica, stream, batch, millis);
            second.lines(replica, stream, batch, millis);
        }
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
