package dev.carnival.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders a command line the way a POSIX shell would read it back, for logs and plans. */
public final class Shell {
    private static final String SAFE = "@%+=:,./-_";

    private Shell() {}

    /** {@code [sh, -c, echo hi]} becomes {@code sh -c 'echo hi'}. */
    public static String join(List<String> argv) {
        return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    /** {@code command} followed by {@code args}, as execve takes them. */
    static List<String> argv(String command, List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(command);
        argv.addAll(args);
        return List.copyOf(argv);
    }

    /** One argument, quoted only when it needs to be. */
    public static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || SAFE.indexOf(c) >= 0)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }
}
