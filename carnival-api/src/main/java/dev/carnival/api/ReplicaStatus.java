package dev.carnival.api;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One replica at one moment.
 *
 * @param pid          the running process, if any
 * @param restartCount how many times it was restarted
 * @param lastExit     how its latest process ended, if one has
 */
public record ReplicaStatus(
        ReplicaId replica, ReplicaState state, OptionalLong pid, int restartCount, Optional<ExitStatus> lastExit) {}
