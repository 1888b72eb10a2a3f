package dev.carnival.runtime.compose;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.supervise.Wiring;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks what the operating system will need before services start: every command can be found
 * and executed, every working directory exists. Made at load time, when it learns where each
 * command was configured; run after the init commands, which may create what is missing, so a
 * missing binary is one clear line instead of a restart loop. The running supervisor holds this
 * object, not the config's source map.
 */
public final class Preflight implements Wiring.Checks {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** One command to check, with where it and its working directory were written. */
    private record Check(String label, String command, Path workingDir, Location commandAt, Location dirAt) {}

    /**
     * A problem found before starting.
     *
     * @param certain false when an earlier init command might still create what is missing
     */
    public record Finding(ConfigException problem, boolean certain) {
        /** The one line: where, then what. */
        public String text() {
            return problem.getMessage();
        }
    }

    private final List<Check> init;
    private final List<Check> services;
    private final List<String> users;

    private Preflight(List<Check> init, List<Check> services, List<String> users) {
        this.init = List.copyOf(init);
        this.services = List.copyOf(services);
        this.users = List.copyOf(users);
    }

    /** The checks for {@code config}, located with {@code sources}. */
    public static Preflight of(CarnivalConfig config, SourceMap sources) {
        List<Check> init = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < config.init().size(); i++) {
            InitCommand c = config.init().get(i);
            if (c.user() != null) {
                users.add(userLine(sources.at(SourceMap.init(i, "user")), "init command " + (i + 1)));
            }
            init.add(new Check("init command " + (i + 1), c.command(), c.workingDir(),
                    sources.at(SourceMap.init(i, "command")), sources.at(SourceMap.init(i, "working-dir"))));
        }
        List<Check> services = new ArrayList<>();
        for (int i = 0; i < config.services().size(); i++) {
            ServiceConfig s = config.services().get(i);
            if (s.user() != null) {
                users.add(userLine(sources.at(SourceMap.service(i, "user")), "service '" + s.name() + "'"));
            }
            services.add(new Check("service '" + s.name() + "'", s.command(), s.workingDir(),
                    sources.at(SourceMap.service(i, "command")), sources.at(SourceMap.service(i, "working-dir"))));
        }
        return new Preflight(init, services, users);
    }

    private static String userLine(Location at, String label) {
        return at + ": " + label + ": 'user' needs native process control (the JDK fallback cannot switch users)";
    }

    /** One line for each init command and service that has a {@code user}: for process control that cannot switch users. */
    @Override
    public List<String> users() {
        return users;
    }

    /** Problems with the services, once the init commands have run: each one line with its location. */
    @Override
    public List<String> services(Map<String, String> environment) {
        List<Finding> findings = new ArrayList<>();
        for (Check c : services) {
            check(c, true, environment, findings);
        }
        return findings.stream().map(Finding::text).toList();
    }

    /**
     * Problems with init commands and services before anything has run, for {@code carnival check}.
     * Only the first init command runs on the machine as it is; anything later may depend on what an
     * init command creates, so its findings are not certain.
     */
    public List<Finding> beforeStart(Map<String, String> environment) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < init.size(); i++) {
            check(init.get(i), i == 0, environment, findings);
        }
        for (Check c : services) {
            check(c, init.isEmpty(), environment, findings);
        }
        return findings;
    }

    private static void check(Check c, boolean certain, Map<String, String> environment, List<Finding> findings) {
        workingDirProblem(c.workingDir()).ifPresent(p -> findings.add(
                new Finding(new ConfigException(c.dirAt(), c.label() + ": " + p), certain)));
        commandProblem(c.command(), c.workingDir(), environment).ifPresent(p -> findings.add(
                new Finding(new ConfigException(c.commandAt(), c.label() + ": " + p), certain)));
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
