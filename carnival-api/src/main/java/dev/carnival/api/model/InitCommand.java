package dev.carnival.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command run to completion before any service starts ({@code [[init]]}).
 *
 * @param workingDir the directory to run in, or {@code null} for the supervisor's own
 * @param env        variables set on top of the global ones: its {@code env-file}s', then its
 *                   {@code env} table's
 * @param user       the user to run as (a name or a uid), or {@code null} for Carnival's own
 * @param group      the group to run as (a name or a gid), or {@code null} for the user's primary group
 */
public record InitCommand(String command, List<String> args, Path workingDir, Map<String, String> env,
                          String user, String group) {
    /** Copies the arguments, checks the variables, and rejects a group without a user. */
    public InitCommand {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
        env = EnvVars.checked(env, "init command " + command);
        if (group != null && user == null) {
            throw new IllegalArgumentException("init command " + command + ": a group needs a user");
        }
    }

    /** A command run as Carnival's own user with no variables of its own. */
    public InitCommand(String command, List<String> args, Path workingDir) {
        this(command, args, workingDir, Map.of(), null, null);
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
