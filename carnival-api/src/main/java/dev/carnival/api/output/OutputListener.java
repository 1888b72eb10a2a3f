package dev.carnival.api.output;

/**
 * Receives the output lines of every captured service of an embedded supervisor, so a host
 * program can route them into its own logging.
 *
 * <p>Each listener is called on a platform thread of its own, in the order the lines were read,
 * never on a supervision or output thread: it may be slow. Lines wait for it in a bounded queue;
 * when the queue is full, newer lines are dropped for this listener only (the services and the
 * other listeners lose nothing) and counted, and {@link #onDropped} tells how many before the next
 * line that is delivered. An exception it throws is logged once and otherwise ignored.
 */
public interface OutputListener {

    /** Called once per line, or piece of a long line. */
    void onLine(OutputLine line);

    /** {@code lines} lines were dropped since the last call because this listener fell behind. */
    default void onDropped(long lines) {}
}
