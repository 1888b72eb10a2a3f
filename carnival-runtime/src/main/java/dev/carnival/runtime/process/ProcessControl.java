package dev.carnival.runtime.process;

/**
 * Starts processes and learns how they end: the one seam between the supervisor and the operating
 * system. Each child gets a new session (so its pid is its process group id), stdin /dev/null,
 * the supervisor's stdout and stderr, default signal dispositions, and no other inherited fds.
 */
public interface ProcessControl extends AutoCloseable {

    /** Which implementation this is, for one info line at start-up. */
    String description();

    /**
     * Whether {@link SpawnRequest#credentials()} can be honoured; when not, a request with them
     * fails with a {@link SpawnException}.
     */
    default boolean runsAsOtherUsers() {
        return false;
    }

    /** Starts a process. Thread-safe. */
    ChildProcess spawn(SpawnRequest request) throws SpawnException;

    /** Stops background threads. Children keep running. */
    @Override
    void close();
}
