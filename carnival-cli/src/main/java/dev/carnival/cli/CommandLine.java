package dev.carnival.cli;

import dev.carnival.runtime.compose.ProcessControls;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the user asked for, from the arguments and the environment. Options win over the
 * environment; an option given twice is an error rather than a silent override.
 *
 * @param configFile the config file as given, if any; text until {@link #config()} makes it a
 *                   path (start-up rules: StartupClassesIT in carnival-dist)
 * @param configFrom how it was given ("-c/--config", "CARNIVAL_CONFIG", "CARNIVAL_CONFIG_TOML")
 * @param checkFrom  {@code check --from TIME}: count each job's next runs from then instead of now
 */
record CommandLine(Action action, Optional<String> configFile, String configFrom, String logLevel,
                   Optional<String> format, List<Path> pluginPath, ProcessControls.Choice processControl,
                   Optional<Instant> checkFrom) {

    static final List<String> LOG_LEVELS = List.of("debug", "info", "warn", "error");

    /** The config file, if any. */
    Optional<Path> config() {
        return configFile.map(Path::of);
    }

    /** What to do. */
    enum Action { RUN, CHECK, HELP, VERSION, LIST_PLUGINS }

    static CommandLine parse(List<String> args, Map<String, String> env) throws UsageException {
        Action action = Action.RUN;
        String config = null;
        String logLevel = null;
        String format = null;
        Instant from = null;
        List<Path> pluginPath = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inline = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                name = arg.substring(0, arg.indexOf('='));
                inline = arg.substring(arg.indexOf('=') + 1);
            }
            switch (name) {
                case "-h", "--help" -> action = Action.HELP;
                case "--version" -> action = Action.VERSION;
                case "--list-plugins" -> action = Action.LIST_PLUGINS;
                case "-c", "--config" -> {
                    if (config != null) {
                        throw new UsageException("-c/--config given twice");
                    }
                    config = inline != null ? inline : value(args, ++i, name);
                }
                case "-l", "--log-level" -> {
                    if (logLevel != null) {
                        throw new UsageException("-l/--log-level given twice");
                    }
                    logLevel = level(inline != null ? inline : value(args, ++i, name), name);
                }
                case "--format" -> {
                    if (format != null) {
                        throw new UsageException("--format given twice");
                    }
                    format = inline != null ? inline : value(args, ++i, name);
                }
                case "--from" -> {
                    if (from != null) {
                        throw new UsageException("--from given twice");
                    }
                    from = instant(inline != null ? inline : value(args, ++i, name));
                }
                case "--plugin-path" -> pluginPath.add(Path.of(inline != null ? inline : value(args, ++i, name)));
                default -> {
                    if (arg.equals("plugins") && i == 0) {
                        action = Action.LIST_PLUGINS;
                    } else if (arg.equals("check") && i == 0) {
                        action = Action.CHECK;
                    } else if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "'");
                    } else {
                        throw new UsageException("unexpected argument '" + arg + "'");
                    }
                }
            }
        }
        String configFrom = "-c/--config";
        if (config == null && nonBlank(env.get("CARNIVAL_CONFIG"))) {
            config = env.get("CARNIVAL_CONFIG");
            configFrom = "CARNIVAL_CONFIG";
        }
        if (config == null && nonBlank(env.get("CARNIVAL_CONFIG_TOML"))) {
            config = env.get("CARNIVAL_CONFIG_TOML");
            configFrom = "CARNIVAL_CONFIG_TOML";
        }
        if (config != null && config.isBlank()) {
            throw new UsageException("-c/--config needs a file name");
        }
        if (logLevel == null) {
            String fromEnv = env.get("CARNIVAL_LOG_LEVEL");
            logLevel = nonBlank(fromEnv) ? level(fromEnv, "CARNIVAL_LOG_LEVEL") : "info";
        }
        if (pluginPath.isEmpty() && nonBlank(env.get("CARNIVAL_PLUGIN_PATH"))) {
            for (String dir : env.get("CARNIVAL_PLUGIN_PATH").split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    pluginPath.add(Path.of(dir));
                }
            }
        }
        ProcessControls.Choice processControl;
        try {
            processControl = ProcessControls.Choice.parse(env.getOrDefault("CARNIVAL_PROCESS_CONTROL", ""));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " in CARNIVAL_PROCESS_CONTROL");
        }
        if (from != null && action != Action.CHECK) {
            throw new UsageException("--from is an option of 'carnival check'");
        }
        if ((action == Action.RUN || action == Action.CHECK) && config == null) {
            throw new UsageException("no config file: give -c/--config FILE or set CARNIVAL_CONFIG_TOML (or CARNIVAL_CONFIG)");
        }
        return new CommandLine(action, Optional.ofNullable(config), configFrom, logLevel,
                Optional.ofNullable(format), List.copyOf(pluginPath), processControl, Optional.ofNullable(from));
    }

    /** An RFC 3339 time with an offset, such as {@code 2026-03-29T00:00:00+02:00} or {@code ...Z}. */
    private static Instant instant(String text) throws UsageException {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("--from needs a time such as 2026-03-29T00:00:00Z, got '" + text + "'");
        }
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException("option " + option + " needs a value");
        }
        return args.get(i);
    }

    private static String level(String value, String where) throws UsageException {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("warning")) {
            v = "warn";
        }
        if (!LOG_LEVELS.contains(v)) {
            throw new UsageException("invalid log level '" + value + "' in " + where + " (choose from "
                    + String.join(", ", LOG_LEVELS) + ")");
        }
        return v;
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }

    static final String HELP = """
            Usage: carnival [OPTIONS]
                   carnival check [OPTIONS]     validate the config and print the plan; start nothing
                   carnival plugins [--plugin-path DIR]
                   carnival status [--json] [NAME...]     ask a running Carnival (NAME: a service, or NAME/INDEX)
                   carnival restart|stop|start NAME...    (restart --rolling: one replica at a time)
                   carnival signal SIGNAL NAME...         SIGNAL: HUP, SIGHUP or 1
                   carnival logs [-f] [-n N] [--timestamps] [NAME...]   captured services' last lines
                   carnival reload [--dry-run] [--json]   read the config file again and apply it
                   carnival scale NAME N                  run N replicas of NAME now
                     (these take --socket PATH; default CARNIVAL_CONTROL_SOCKET, else /run/carnival.sock)

            Carnival - a lightweight process supervisor for containers.

            Options:
              -c, --config FILE       configuration file (TOML, or any format a plugin reads);
                                      also CARNIVAL_CONFIG or CARNIVAL_CONFIG_TOML
              -l, --log-level LEVEL   debug, info (default), warn or error; also CARNIVAL_LOG_LEVEL
                  --format FORMAT     read the config as FORMAT whatever its extension
                  --plugin-path DIR   load plugin modules (jars) from DIR; repeatable;
                                      also CARNIVAL_PLUGIN_PATH (DIR:DIR...)
                  --list-plugins      list every plugin found, and exit (same as 'carnival plugins')
                  --from TIME         check: count each job's next runs from TIME (RFC 3339,
                                      e.g. 2026-03-29T00:00:00Z) instead of now
              -h, --help              show this help, and exit
                  --version           show the version, and exit

            Environment: CARNIVAL_PROCESS_CONTROL=auto (default) | native | jdk picks how processes are
              started and reaped: native Linux calls, or the portable JDK Process API fallback.

            Exit codes: 0 all services finished or graceful shutdown (SIGTERM, SIGINT, SIGHUP);
              1 an init command failed or was interrupted; 2 usage, config or plugin error.
              Client commands: 0 done; 2 usage error, unknown service/replica, or (logs) a service
              whose output is not captured; 3 (status) a
              replica that should run is not running or not ready; 4 no supervisor answers.
            """;
}
