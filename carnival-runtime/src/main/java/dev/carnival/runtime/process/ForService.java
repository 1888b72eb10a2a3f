package dev.carnival.runtime.process;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Process control that starts every process of one service as the service says: as its user
 * ({@code credentials}) and with its {@code oom_score_adj}, without the replicas (or whatever else
 * spawns on their behalf) knowing of either. Closing it closes nothing: the control it wraps
 * belongs to the supervisor.
 *
 * @param credentials who to run as, or null for the supervisor's own user
 * @param oomScoreAdj the processes' {@code oom_score_adj}, or null for the default
 */
public record ForService(ProcessControl control, Credentials credentials, Integer oomScoreAdj)
        implements ProcessControl {
    public ForService {
        Objects.requireNonNull(control, "control");
    }

    /** {@code control} itself when the service changes neither, else it wrapped. */
    public static ProcessControl of(ProcessControl control, Credentials credentials, OptionalInt oomScoreAdj) {
        if (credentials == null && oomScoreAdj.isEmpty()) {
            return control;
        }
        return new ForService(control, credentials, oomScoreAdj.isPresent() ? oomScoreAdj.getAsInt() : null);
    }

    @Override
    public String description() {
        return control.description();
    }

    @Override
    public boolean runsAsOtherUsers() {
        return control.runsAsOtherUsers();
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws SpawnException {
        SpawnRequest r = credentials == null ? request : request.as(credentials);
        return control.spawn(oomScoreAdj == null ? r : r.withOomScoreAdj(oomScoreAdj));
    }

    @Override
    public void close() {
        // Not ours to close.
    }
}
