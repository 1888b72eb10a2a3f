package dev.carnival.runtime.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to start: {@code argv[0]} is looked up on PATH when it has no slash.
 *
 * @param workingDir where to run, or {@code null} for the supervisor's own directory
 * @param stdout     where the child's stdout goes, or {@code null} to inherit the supervisor's
 * @param stderr     where the child's stderr goes, or {@code null} to inherit the supervisor's
 * @param credentials who the child runs as, or {@code null} for the supervisor's own user
 */
public record SpawnRequest(List<String> argv, Environment environment, Path workingDir,
                           OutputSink stdout, OutputSink stderr, Credentials credentials) {
    public SpawnRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        Objects.requireNonNull(environment, "environment");
    }

    /** Makes both sinks, where there are any, emit a partial last line now. */
    public void flushSinks() {
        if (stdout != null) {
            stdout.flush();
        }
        if (stderr != null) {
            stderr.flush();
        }
    }

    /** This request, run as {@code credentials} (null: the supervisor's own). */
    public SpawnRequest as(Credentials credentials) {
        return new SpawnRequest(argv, environment, workingDir, stdout, stderr, credentials);
    }

    /** A request run as the supervisor's own user. */
    public SpawnRequest(List<String> argv, Environment environment, Path workingDir,
                        OutputSink stdout, OutputSink stderr) {
        this(argv, environment, workingDir, stdout, stderr, null);
    }

    /** A request whose stdout and stderr are the supervisor's own, run as the supervisor's own user. */
    public SpawnRequest(List<String> argv, Environment environment, Path workingDir) {
        this(argv, environment, workingDir, null, null, null);
    }
}
