package dev.carnival.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A command run to completion before any service starts ({@code [[init]]}).
 *
 * @param workingDir the directory to run in, or {@code null} for the supervisor's own
 */
public record InitCommand(String command, List<String> args, Path workingDir) {
    public InitCommand {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
    }

    /** A command with arguments, run in the supervisor's directory. */
    public static InitCommand of(String command, String... args) {
        return new InitCommand(command, List.of(args), null);
    }

    /** The command followed by its arguments. */
    public List<String> commandLine() {
        return Shell.argv(command, args);
    }
}
