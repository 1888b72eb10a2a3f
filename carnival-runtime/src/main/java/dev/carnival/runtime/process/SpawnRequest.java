package dev.carnival.runtime.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start: {@code argv[0]} is looked up on PATH when it has no slash.
 *
 * @param workingDir where to run, or {@code null} for the supervisor's own directory
 */
public record SpawnRequest(List<String> argv, Map<String, String> environment, Path workingDir) {
    public SpawnRequest {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        Objects.requireNonNull(environment, "environment");
    }
}
