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
 * @param oomScoreAdj the child's {@code oom_score_adj}, or {@code null} for {@link OomScore#childDefault()}
 */
public record SpawnRequest(List<String> argv, Environment environment, Path workingDir,
                           OutputSink stdout, OutputSink stderr, Credentials credentials, Integer oomScoreAdj) {
    public SpawnRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        Objects.requireNonNull(environment, "environment");
        if (oomScoreAdj != null && (oomScoreAdj < OomScore.MIN || oomScoreAdj > OomScore.MAX)) {
            throw new IllegalArgumentException("oom_score_adj must be from -1000 to 1000, got " + oomScoreAdj);
        }
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
        return new SpawnRequest(argv, environment, workingDir, stdout, stderr, credentials, oomScoreAdj);
    }

    /** This request with the child's {@code oom_score_adj} set to {@code value}. */
    public SpawnRequest withOomScoreAdj(int value) {
        return new SpawnRequest(argv, environment, workingDir, stdout, stderr, credentials, value);
    }

    /** A request with the default {@code oom_score_adj}. */
    public SpawnRequest(List<String> argv, Environment environment, Path workingDir,
                        OutputSink stdout, OutputSink stderr, Credentials credentials) {
        this(argv, environment, workingDir, stdout, stderr, credentials, null);
    }

    /** A request run as the supervisor's own user. */
    public SpawnRequest(List<String> argv, Environment environment, Path workingDir,
                        OutputSink stdout, OutputSink stderr) {
        this(argv, environment, workingDir, stdout, stderr, null, null);
    }

    /** A request whose stdout and stderr are the supervisor's own, run as the supervisor's own user. */
    public SpawnRequest(List<String> argv, Environment environment, Path workingDir) {
        this(argv, environment, workingDir, null, null, null, null);
    }
}
