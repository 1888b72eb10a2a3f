package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules every start keeps, checked on the image as users run it: one {@code true} service,
 * started through the launcher with its AOT cache, with the JVM logging every class it loads
 * and every class it initialises. This is the one place the rules are stated; code on the paths
 * a plain run takes may use anything that keeps this test green.
 *
 * <p>Every class in the AOT cache is loaded at every start, so what costs a start is what is
 * made or read at run time (interpreted, on the way to the first spawn) and what is initialised
 * (its code runs). Each rule below removed a measured cost; {@code bench/timeline.sh} shows where
 * a start's time goes.
 */
class StartupClassesIT {
    @TempDir
    Path dir;

    /**
     * What may be made or read at run time instead of taken from the AOT cache: the JDK's own work
     * for the first native downcall (its method handles, stub and type switches), which no cache
     * can hold, the first virtual thread's JFR event classes, and the config reader's pattern
     * switches over node kinds (one class each for the kinds a config uses; against instanceof
     * chains they made no difference in CPU time that 21 alternated starts could show), and the
     * queue nodes of the JDK's locks, loaded the first time a thread has to wait for one: whether
     * a spawn meets the reaper's write lock at start depends on how busy the machine is, in the
     * training as in the test (a class read from the image, nothing spun). Anything else, such as
     * a pattern switch's class elsewhere, a lambda the AOT training never linked, or a lambda of the
     * JDK's ({@code Comparator.comparing} and friends), is spun on the start's path and fails here.
     */
    private static boolean allowedAtRunTime(String name, String source) {
        if (source.equals("__JVM_LookupDefineClass__")) {
            return name.startsWith("java.lang.invoke.LambdaForm$") || name.startsWith("jdk.internal.foreign.abi.DowncallStub/");
        }
        if (name.contains("$$TypeSwitch/")) {
            return source.startsWith("jdk.internal.foreign.abi.") || source.startsWith("dev.carnival.runtime.config.");
        }
        return source.equals("jrt:/java.base") && (name.startsWith("jdk.internal.event.")
                || name.startsWith("java.util.concurrent.locks.AbstractQueuedSynchronizer$"));
    }

    /** Initialised (used) by no plain start; why, for each. */
    private static final Map<String, String> NEVER_INITIALISED = Map.ofEntries(
            Map.entry("java/util/regex/", "java.util.regex: its classes and a compiled pattern at every start"),
            Map.entry("java/util/Formatter", "String.format: Formatter and locale data"),
            Map.entry("java/time/format/DateTimeFormatter", "a DateTimeFormatter built eagerly"),
            Map.entry("sun/util/calendar/ZoneInfoFile", "TimeZone's tzdb.dat parse (~11 ms) on a system on UTC"),
            Map.entry("jdk/internal/foreign/LayoutPath", "MemorySegment.get/set: a var handle each, LayoutPath first"),
            Map.entry("org/tomlj/", "tomlj for a config TomlReader reads (~230 classes, 15+ ms interpreted)"),
            Map.entry("org/antlr/", "ANTLR, under tomlj"),
            Map.entry("com/sun/net/httpserver/", "the HTTP endpoint without http-listen"),
            Map.entry("sun/net/httpserver/", "the HTTP endpoint without http-listen"),
            Map.entry("dev/carnival/cli/control/http/", "the HTTP endpoint without http-listen"),
            Map.entry("io/prometheus/", "metrics without http-listen"),
            Map.entry("com/fasterxml/jackson/", "JSON, which only the control plane speaks"),
            Map.entry("dev/carnival/cli/control/ControlClient", "the control socket's client, for carnival status/stop/..."),
            Map.entry("java/lang/runtime/ObjectMethods", "a record's generated equals/hashCode/toString, bootstrapped at its"
                    + " first call (about 14 method-handle classes spun): write out those a start calls"),
            Map.entry("com/cronutils/", "cron-utils without a schedule"),
            Map.entry("dev/carnival/runtime/notify/", "the sd_notify receiver without notify = true"),
            Map.entry("dev/carnival/runtime/reload/ConfigWatcher", "the config watcher without watch-config"));

    /**
     * How many classes a plain start may initialise, its own and the JDK's: a few above what it
     * takes today (the count varies by one or two from run to run). A start that needs more fails
     * here: make the new work lazy, or raise this and say why in the commit message.
     */
    private static final int INITIALISED_BUDGET = 1200;

    /**
     * A config as users write them: arguments with a number, an environment table, numbers,
     * a stop signal, a dependency with a condition. The AOT training run covers what it reads.
     */
    private static final String AS_USERS_WRITE = """
            [[service]]
            name = "db"
            command = "sh"
            args = ["-c", "exit 0"]
            env = { MODE = "test", PORT = 5432 }
            stop-timeout-ms = 2000

            [[service]]
            name = "app"
            command = "true"
            args = ["--port", 8080]
            restart = "on-failure"
            restart-limit = 3
            stop-signal = "SIGINT"
            depends-on = { db = "started" }
            """;

    @Test
    void aPlainStartSpinsNothingOfItsOwnAndInitialisesOnlyWhatItNeeds() throws Exception {
        ClassLog log = run(Configs.ONE_TRUE_SERVICE);
        log.spinsNothingOfItsOwn();
        log.initialisesNothingItNeverNeeds();
        assertTrue(log.initialised().size() <= INITIALISED_BUDGET, () -> "a plain start initialised "
                + log.initialised().size() + " classes, over the budget of " + INITIALISED_BUDGET);
        nothingBeforeTheNativeBindingButTheCommandLine(log.initialised());
    }

    /**
     * Nor does a config as users write one, beyond the config reader's own pattern switches: the
     * lambdas behind what it reads (a dependency, a stop signal, an environment table) are linked
     * by the AOT training run, or spun here at every start.
     */
    @Test
    void aConfigAsUsersWriteItSpinsNothingOfItsOwn() throws Exception {
        ClassLog log = run(AS_USERS_WRITE);
        log.spinsNothingOfItsOwn();
        log.initialisesNothingItNeverNeeds();
    }

    /**
     * As PID 1 every start opens the control socket: that brings no client, JSON, HTTP or metrics
     * before a request needs them, and reads nothing the cache lacks (the AOT training run opens
     * it too, see training.toml).
     */
    @Test
    void aStartWithTheControlSocketInitialisesOnlyWhatItNeeds() throws Exception {
        ClassLog log = run(Configs.ONE_TRUE_SERVICE, Map.of("CARNIVAL_CONTROL_SOCKET", dir.resolve("c.sock").toString()));
        assertTrue(log.initialised().stream().anyMatch(i -> i.name().equals("dev/carnival/cli/control/ControlServer")),
                "the control socket was opened");
        log.spinsNothingOfItsOwn();
        log.initialisesNothingItNeverNeeds();
    }

    private ClassLog run(String config) throws Exception {
        return run(config, Map.of());
    }

    private ClassLog run(String config, Map<String, String> env) throws Exception {
        Path log = dir.resolve("classes.log");
        Map<String, String> all = new HashMap<>(env);
        all.put("CARNIVAL_JAVA_OPTS", "-Xlog:class+load=info,class+init=info:file=" + log);
        all.put("TZ", "UTC");
        try (CarnivalProcess c = CarnivalProcess.start(dir, all, CarnivalProcess.withConfig(dir, config))) {
            assertEquals(0, c.exitCode(), c.stderr());
        }
        List<String> loaded = new ArrayList<>();
        List<Init> initialised = new ArrayList<>();
        for (String line : Configs.read(log).lines().toList()) {
            int source = line.indexOf(" source: ");
            if (line.contains("[class,load] ") && source > 0) {
                loaded.add(line);
            } else if (line.contains(" Initializing '")) {
                int start = line.indexOf(" Initializing '") + 15;
                String thread = line.contains("by thread \"") ? line.substring(line.indexOf("by thread \"") + 11, line.length() - 1) : "";
                initialised.add(new Init(line.substring(start, line.indexOf('\'', start)), thread));
            }
        }
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.carnival.cli.Main source: ")), "the log lists loaded classes");
        assertTrue(initialised.stream().anyMatch(i -> i.name().equals("dev/carnival/cli/Main")), "the log lists initialised classes");
        return new ClassLog(loaded, initialised);
    }

    private record ClassLog(List<String> loaded, List<Init> initialised) {
        void spinsNothingOfItsOwn() {
            for (String line : loaded) {
                int source = line.indexOf(" source: ");
                String name = line.substring(line.indexOf("[class,load] ") + 13, source);
                String from = line.substring(source + 9);
                assertTrue(from.equals("shared objects file") || allowedAtRunTime(name, from),
                        () -> "made or read at run time, not taken from the AOT cache: " + name + " (" + from + ")");
            }
        }

        void initialisesNothingItNeverNeeds() {
            for (Init i : initialised) {
                NEVER_INITIALISED.forEach((prefix, why) ->
                        assertFalse(i.name().startsWith(prefix), () -> i.name() + " initialised: " + why));
            }
        }
    }

    /**
     * Main starts the native binding (a thread of its own) before anything else, so that it runs
     * while the console, SLF4J and the config are made: until then the main thread initialises only
     * the command line's classes, and no file system ({@code Path.of}: the first one starts it).
     */
    private static void nothingBeforeTheNativeBindingButTheCommandLine(List<Init> initialised) {
        List<Init> main = initialised.stream().filter(i -> i.thread().equals("main")).toList();
        int binding = -1;
        for (int k = 0; k < main.size() && binding < 0; k++) {
            if (main.get(k).name().startsWith("dev/carnival/runtime/compose/ProcessControls")) {
                binding = k;
            }
        }
        assertTrue(binding > 0, "the main thread starts the native binding (ProcessControls)");
        for (Init i : main.subList(0, binding)) {
            String n = i.name();
            assertFalse(n.startsWith("sun/nio/fs/") || n.startsWith("org/slf4j/")
                            || (n.startsWith("dev/carnival/") && !n.startsWith("dev/carnival/cli/")),
                    () -> n + " initialised before the native binding starts");
        }
    }

    private record Init(String name, String thread) {}
}
