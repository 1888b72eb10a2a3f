package dev.carnival.api.probe;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The replica a check is for, and what Carnival lends a probe to check it. */
public interface ProbeContext {

    /** The replica being checked. */
    ReplicaId replica();

    /** The replica's environment ({@code CARNIVAL_REPLICA_ID} and the others included). */
    Map<String, String> environment();

    /** How long this check may take ({@code timeout-ms}). */
    Duration timeout();

    /**
     * Runs {@code argv} ({@code argv[0]} looked up on PATH) through Carnival's own process control,
     * as the replica's process would be run: the replica's environment and working directory, a
     * process group of its own, stdin /dev/null; its output is discarded. If it has not exited
     * when the check's stage completes (at the timeout, or when the probe is stopped), its whole
     * group gets SIGKILL.
     *
     * <p>Probes must use this instead of starting processes themselves: inside the
     * {@code carnival} command, Carnival's reaper takes every child's exit status.
     *
     * @return its exit status; completes exceptionally when it could not be started
     */
    CompletionStage<ExitStatus> exec(List<String> argv);
}
