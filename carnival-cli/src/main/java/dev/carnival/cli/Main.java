package dev.carnival.cli;

import dev.carnival.runtime.process.Reaping;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.LogFormat;
import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.config.UserText;
import dev.carnival.runtime.config.BoundConfig;
import dev.carnival.runtime.config.ConfigBinder;
import dev.carnival.runtime.config.ConfigLoader;
import dev.carnival.runtime.config.Interpolator;
import dev.carnival.runtime.config.Problems;
import dev.carnival.cli.control.ControlException;
import dev.carnival.cli.control.Reloading;
import dev.carnival.runtime.output.Console;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.plugin.PluginException;
import dev.carnival.runtime.plugin.Plugins;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.compose.ProcessControls;
import dev.carnival.runtime.supervise.CarnivalSupervisor;
import dev.carnival.runtime.supervise.ExitPolicy;
import dev.carnival.runtime.compose.Assembly;
import dev.carnival.runtime.compose.Plan;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code carnival} command. */
public final class Main {
    private static final int MAX_LINE = 1000;

    /** {@code [global] log-format = "json"}, for the plugins that write Carnival's own lines (they are not named here). */
    static final String LOG_FORMAT_PROPERTY = "carnival.log.format";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (ControlCommand.handles(args)) {
            return ControlCommand.run(args, env, out, err);
        }
        CommandLine cli;
        try {
            cli = CommandLine.parse(args, env);
        } catch (UsageException e) {
            err.println("carnival: " + oneLine(e.getMessage()) + " (see carnival --help)");
            return ExitPolicy.CONFIG;
        }
        configureLogging(cli.logLevel());
        try {
            return switch (cli.action()) {
                case HELP -> {
                    out.print(CommandLine.HELP);
                    yield 0;
                }
                case VERSION -> {
                    out.println("carnival " + version() + " (Java " + Runtime.version() + ", "
                            + System.getProperty("java.vm.vendor", "unknown vendor") + ")");
                    yield 0;
                }
                case LIST_PLUGINS -> listPlugins(Plugins.discover(cli.pluginPath()), out);
                case CHECK -> check(cli, env, out, err);
                case RUN -> supervise(cli, env);
            };
        } catch (PluginException e) {
            err.println("carnival: " + oneLine(e.getMessage()));
            return ExitPolicy.CONFIG;
        } catch (ConfigException e) {
            Problems.of(e).forEach(p -> err.println("carnival: " + oneLine(p.getMessage())));
            return ExitPolicy.CONFIG;
        } catch (RuntimeException | Error e) {
            err.println("carnival: internal error: " + e + (cli.logLevel().equals("debug") ? "" : " (use --log-level debug for details)"));
            if (cli.logLevel().equals("debug")) {
                e.printStackTrace(err);
            }
            return ExitPolicy.INTERNAL;
        }
    }

    /**
     * A message as one line of sane length, whatever user text it quotes: the last guard for
     * messages that did not quote through {@link UserText} themselves. Cut in the middle, so both
     * where (at the start) and what (often at the end) stay.
     */
    static String oneLine(String message) {
        String line = UserText.escape(message, Integer.MAX_VALUE);
        if (line.length() <= MAX_LINE) {
            return line;
        }
        int tail = MAX_LINE / 4;
        int head = MAX_LINE - tail;
        return line.substring(0, head) + "...(" + (line.length() - head - tail) + " characters cut)..."
                + line.substring(line.length() - tail);
    }

    /**
     * A config read and bound as far as it goes, with the plugins it was read with: binding
     * problems are reported together with what resolving the rest finds.
     */
    private record Loaded(ConfigBinder.Attempt attempt, String format, Plugins plugins) {
        BoundConfig bound() {
            return attempt.bound();
        }
    }

    private static Loaded load(CommandLine cli, Map<String, String> env) throws PluginException, ConfigException {
        Plugins plugins = Plugins.discover(cli.pluginPath());
        ConfigLoader loader = new ConfigLoader(plugins.sources(), new ConfigBinder(new Interpolator(env)));
        Path file = cli.config().orElseThrow();
        Optional<String> format = cli.format();
        // CARNIVAL_CONFIG_TOML names its format: keep the original's any-file-name behaviour for it.
        if (format.isEmpty() && cli.configFrom().equals("CARNIVAL_CONFIG_TOML") && loader.byExtension(file).isEmpty()) {
            format = Optional.of("toml");
        }
        ConfigSource source = loader.pick(file, format);
        return new Loaded(loader.loadAll(file, source), source.format(), plugins);
    }

    private static int check(CommandLine cli, Map<String, String> env, PrintStream out, PrintStream err)
            throws PluginException, ConfigException {
        Loaded loaded = load(cli, env);
        Plan.Checked checked = Plan.check(loaded.attempt(), loaded.plugins().policies(), loaded.plugins().probes(), env);
        checked.warnings().forEach(f -> err.println("carnival: warning: " + oneLine(f.text())
                + " (unless an init command before it creates it)"));
        out.print(CheckReport.render(cli.config().orElseThrow(), loaded.format(), loaded.bound().config(),
                loaded.plugins().policies(), env, checked.plan().graph(), cli.checkFrom().orElseGet(Instant::now)));
        return 0;
    }

    private static int supervise(CommandLine cli, Map<String, String> env) throws PluginException, ConfigException {
        // Binding the native calls (the JDK's first downcall stub) is the longest step before the
        // first spawn: it starts first, beside the logging set-up and the config's reading.
        ProcessControls.Choice choice = cli.processControl();
        CompletableFuture<Void> binding = CompletableFuture.runAsync(() -> ProcessControls.prepare(choice),
                task -> Thread.ofPlatform().name("carnival-native-init").start(task));
        Console.installAsSystemStreams(); // a reader that does not read must not stall supervision
        // SLF4J initialises on its first call: make that here, before a second thread can log
        // meanwhile (its line would be queued and replayed behind an SLF4J warning).
        Logger log = LoggerFactory.getLogger("carnival");
        // So open(), which may log, follows only now: on the binding's thread, or here once that is done.
        CompletableFuture<ProcessControl> opening =
                binding.thenApply(v -> ProcessControls.open(Reaping.ORPHANS, choice));
        Loaded loaded = load(cli, env);
        if (loaded.bound().config().global().monitoring().logFormat() == LogFormat.JSON) {
            // Read at each line by the console-log backend and the logging listener: from here on, JSON.
            System.setProperty(LOG_FORMAT_PROPERTY, "json");
        }
        Plan plan = Plan.load(loaded.attempt(), loaded.plugins().policies(), loaded.plugins().probes());
        log.info("Loaded configuration from {}", cli.config().orElseThrow());
        // The first virtual thread starts the scheduler and reads the JDK's event classes from the
        // image (they are never in an AOT cache): about 2 ms that the first replica would wait for.
        // Here they pass while this thread waits for the binding anyway.
        Thread.ofVirtual().name("carnival-warm-up").start(() -> {});

        ProcessControl control;
        try {
            control = opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IllegalStateException unavailable) {
                LoggerFactory.getLogger("carnival").error("{} (CARNIVAL_PROCESS_CONTROL=native)", unavailable.getMessage());
                return ExitPolicy.CONFIG;
            }
            throw e;
        }
        CarnivalSupervisor supervisor = Assembly.of(plan, control).listeners(loaded.plugins().listeners())
                .plugins(loaded.plugins().policies(), loaded.plugins().probes())
                .environment(env).build();
        ConfigFile file = new ConfigFile(cli.config().orElseThrow(), () -> {
            Loaded again = load(cli, env);
            Plan.check(again.attempt(), again.plugins().policies(), again.plugins().probes(), env);
            return again.bound();
        }, loaded.bound().envFiles());
        Reloading reloading = Reloading.of(supervisor, file::read);
        SignalHandlers.install(supervisor, loaded.bound().config().global().reload().signal(), reloading);
        // Control plane (socket, HTTP): open before the supervisor starts, closed once it stopped.
        ControlPlane controlPlane;
        try {
            controlPlane = ControlPlane.open(loaded.bound().config().global(), env, supervisor,
                    supervisor.capturedOutput().buffers(), reloading);
        } catch (ControlException e) {
            log.error(e.getMessage());
            return ExitPolicy.CONFIG;
        }
        try (controlPlane; AutoCloseable watcher = file.watch(loaded.bound().config().global(), reloading)) {
            supervisor.start();
            return supervisor.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitPolicy.INTERNAL;
        } catch (Exception e) {
            throw new IllegalStateException(e); // closing the watcher throws nothing checked
        }
    }

    private static int listPlugins(Plugins plugins, PrintStream out) {
        String format = "%-15s %-22s %-28s %s%n";
        out.printf(format, "KIND", "NAME", "MODULE", "ORIGIN");
        for (Plugin<?> p : plugins.all()) {
            out.printf(format, p.kind(), p.name(), p.module(), p.origin());
        }
        return 0;
    }

    /** slf4j-simple reads these once, when the first logger is made: set them before that. */
    private static void configureLogging(String level) {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showLogName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "false");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
