package dev.carnival.runtime.process;

import java.util.Objects;

/**
 * Process control that starts every process as {@code credentials}: how a service's replicas
 * (and whatever else spawns on its behalf) run as its user without knowing of users. Closing it
 * closes nothing: the control it wraps belongs to the supervisor.
 */
public record AsUser(ProcessControl control, Credentials credentials) implements ProcessControl {
    public AsUser {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** {@code control} itself when {@code credentials} is null, else it wrapped. */
    public static ProcessControl of(ProcessControl control, Credentials credentials) {
        return credentials == null ? control : new AsUser(control, credentials);
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
        return control.spawn(request.as(credentials));
    }

    @Override
    public void close() {
        // Not ours to close.
    }
}
