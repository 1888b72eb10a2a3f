package dev.carnival.runtime.process;

import java.time.Duration;

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

    /**
     * Stops what is left once the supervisor is done with its children: members of the process
     * group of a child that has exited (daemons it left behind) and, when this control reaps
     * orphans (PID 1 or child subreaper), every other descendant of this process. Embedded, it
     * never touches a process outside the groups it created. SIGTERM first, SIGKILL to whatever
     * is still there after {@code grace}; blocks until then.
     *
     * @return how many processes it had to signal
     */
    default int stopDescendants(Duration grace) {
        return 0;
    }

    /** Stops background threads. Children keep running. */
    @Override
    void close();
}
