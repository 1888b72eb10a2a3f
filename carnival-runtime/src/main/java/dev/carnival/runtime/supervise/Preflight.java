package dev.carnival.runtime.supervise;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.config.SourceMap;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Checks what the operating system will need before services start: every command can be found
 * and executed, every working directory exists. Run after the init commands, which may create
 * them, so a missing binary is one clear line instead of a restart loop.
 */
public final class Preflight {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Preflight() {}

    /**
     * A problem found before starting.
     *
     * @param certain false when an earlier init command might still create what is missing
     */
    public record Finding(String text, boolean certain) {}

    /** Problems with the services, once the init commands have run: each one line with its location. */
    public static List<String> services(CarnivalConfig config, SourceMap sources, Map<String, String> environment) {
        List<Finding> findings = new ArrayList<>();
        checkServices(config, sources, environment, true, findings);
        return findings.stream().map(Finding::text).toList();
    }

    /**
     * Problems with init commands and services before anything has run, for {@code carnival check}.
     * Only the first init command runs on the machine as it is; anything later may depend on what an
     * init command creates, so its findings are not certain.
     */
    public static List<Finding> beforeStart(CarnivalConfig config, SourceMap sources, Map<String, String> environment) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < config.init().size(); i++) {
            InitCommand init = config.init().get(i);
            int index = i;
            check(init.command(), init.workingDir(), "init command " + (i + 1), key -> SourceMap.init(index, key),
                    i == 0, sources, environment, findings);
        }
        checkServices(config, sources, environment, config.init().isEmpty(), findings);
        return findings;
    }

    private static void checkServices(CarnivalConfig config, SourceMap sources, Map<String, String> environment,
                                      boolean certain, List<Finding> findings) {
        for (int i = 0; i < config.services().size(); i++) {
            ServiceConfig s = config.services().get(i);
            int index = i;
            check(s.command(), s.workingDir(), "service '" + s.name() + "'", key -> SourceMap.service(index, key),
                    certain, sources, environment, findings);
        }
    }

    /** @param path the source-map path of this entry's {@code key} */
    private static void check(String command, Path dir, String label, UnaryOperator<String> path, boolean certain,
                              SourceMap sources, Map<String, String> environment, List<Finding> findings) {
        workingDirProblem(dir).ifPresent(p -> findings.add(new Finding(
                sources.at(path.apply("working-dir")) + ": " + label + ": " + p, certain)));
        commandProblem(command, dir, environment).ifPresent(p -> findings.add(new Finding(
                sources.at(path.apply("command")) + ": " + label + ": " + p, certain)));
    }

    /** Why a working directory cannot be used, if it cannot. */
    public static Optional<String> workingDirProblem(Path dir) {
        if (dir == null) {
            return Optional.empty();
        }
        if (!Files.exists(dir)) {
            return Optional.of("working directory '" + dir + "' does not exist");
        }
        if (!Files.isDirectory(dir)) {
            return Optional.of("working directory '" + dir + "' is not a directory");
        }
        return Optional.empty();
    }

    /** Why a command cannot be run, if it cannot: not found on PATH, missing, or not executable. */
    public static Optional<String> commandProblem(String command, Path workingDir, Map<String, String> environment) {
        if (command.contains("/")) {
            Path p = Path.of(command);
            if (!p.isAbsolute() && workingDir != null) {
                p = workingDir.resolve(p);
            }
            if (!Files.exists(p)) {
                return Optional.of("command '" + command + "' not found");
            }
            if (Files.isDirectory(p) || !Files.isExecutable(p)) {
                return Optional.of("command '" + command + "' is not executable");
            }
            return Optional.empty();
        }
        String path = environment.getOrDefault("PATH", DEFAULT_PATH);
        boolean foundButNotExecutable = false;
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(command);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return Optional.empty();
                }
                foundButNotExecutable = true;
            }
        }
        return Optional.of(foundButNotExecutable
                ? "command '" + command + "' is on PATH but not executable"
                : "command '" + command + "' not found on PATH");
    }
}
