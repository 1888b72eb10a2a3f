package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
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
     * can hold, and the first virtual thread's JFR event classes. Anything else, such as a pattern
     * switch's class ({@code $$TypeSwitch}) or a lambda of the JDK's ({@code Comparator.comparing}
     * and friends), is spun on the start's path and fails here.
     */
    private static boolean allowedAtRunTime(String name, String source) {
        if (source.equals("__JVM_LookupDefineClass__")) {
            return name.startsWith("java.lang.invoke.LambdaForm$") || name.startsWith("jdk.internal.foreign.abi.DowncallStub/");
        }
        if (name.contains("$$TypeSwitch/")) {
            return source.startsWith("jdk.internal.foreign.abi.");
        }
        return source.equals("jrt:/java.base") && name.startsWith("jdk.internal.event.");
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
            Map.entry("dev/carnival/cli/control/ControlClient", "the control socket's client, for carnival status/stop/..."));

    @Test
    void aPlainStartSpinsNothingOfItsOwnAndInitialisesOnlyWhatItNeeds() throws Exception {
        Path log = dir.resolve("classes.log");
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of(
                        "CARNIVAL_JAVA_OPTS", "-Xlog:class+load=info,class+init=info:file=" + log,
                        "TZ", "UTC"),
                CarnivalProcess.withConfig(dir, Configs.ONE_TRUE_SERVICE))) {
            assertEquals(0, c.exitCode(), c.stderr());
        }
        List<String> lines = Configs.read(log).lines().toList();
        List<String> loaded = new ArrayList<>();
        List<Init> initialised = new ArrayList<>();
        for (String line : lines) {
            int source = line.indexOf(" source: ");
            if (line.contains("[class,load] ") && source > 0) {
                loaded.add(line);
                String name = line.substring(line.indexOf("[class,load] ") + 13, source);
                String from = line.substring(source + 9);
                assertTrue(from.equals("shared objects file") || allowedAtRunTime(name, from),
                        () -> "made or read at run time, not taken from the AOT cache: " + name + " (" + from + ")");
            } else if (line.contains(" Initializing '")) {
                int start = line.indexOf(" Initializing '") + 15;
                String thread = line.contains("by thread \"") ? line.substring(line.indexOf("by thread \"") + 11, line.length() - 1) : "";
                initialised.add(new Init(line.substring(start, line.indexOf('\'', start)), thread));
            }
        }
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.carnival.cli.Main source: ")), "the log lists loaded classes");
        assertTrue(initialised.stream().anyMatch(i -> i.name().equals("dev/carnival/cli/Main")), "the log lists initialised classes");
        for (Init i : initialised) {
            NEVER_INITIALISED.forEach((prefix, why) ->
                    assertFalse(i.name().startsWith(prefix), () -> i.name() + " initialised: " + why));
        }
        nothingBeforeTheNativeBindingButTheCommandLine(initialised);
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
