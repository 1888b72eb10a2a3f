package dev.carnival.dist;

import static dev.carnival.dist.ImageHarness.home;
import static dev.carnival.dist.ImageHarness.java;
import static dev.carnival.dist.ImageHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.dist.ImageHarness.Result;
import dev.carnival.dist.ImageHarness.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the jlink image holds: exactly the modules needed, all explicit, plugins linked. */
class ImageLayoutIT {

    /** The JDK modules jdeps and the module descriptors prove necessary, and nothing else. */
    static final Set<String> EXPECTED_MODULES = Set.of(
            "java.base",
            "jdk.unsupported",
            "jdk.httpserver",
            "carnival.api",
            "carnival.runtime",
            "carnival.cli",
            "carnival.config.toml",
            "carnival.config.yaml",
            "carnival.restart.policies",
            "carnival.probes",
            "java.net.http",
            "carnival.logging",
            "org.slf4j",
            "carnival.console.log",
            "org.tomlj",
            "org.antlr.antlr4.runtime",
            "org.snakeyaml.engine.v2",
            "com.cronutils",
            "com.fasterxml.jackson.core",
            "io.prometheus.metrics.config",
            "io.prometheus.metrics.core",
            "io.prometheus.metrics.model",
            "io.prometheus.metrics.tracer.common",
            "io.prometheus.metrics.tracer.initializer",
            "io.prometheus.metrics.tracer.otel",
            "io.prometheus.metrics.tracer.otel_agent",
            "io.prometheus.writer.text");

    static final String MAIN = "carnival.cli/dev.carnival.cli.Main";

    @Test
    void listsExactlyTheNeededModules() throws Exception {
        Result result = run(Spec.inherit(home()), java().toString(), "--list-modules");
        assertEquals(0, result.exit(), result::toString);
        Set<String> modules = result.out().lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> line.replaceFirst("@.*$", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EXPECTED_MODULES), modules);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "org.tomlj", "org.antlr.antlr4.runtime", "org.snakeyaml.engine.v2", "org.slf4j", "carnival.console.log",
        "carnival.api", "carnival.runtime", "carnival.cli", "carnival.config.toml", "carnival.config.yaml",
        "carnival.restart.policies", "carnival.logging"})
    void noModuleIsAutomatic(String module) throws Exception {
        Result result = run(Spec.inherit(home()), java().toString(), "--describe-module", module);
        assertEquals(0, result.exit(), result::toString);
        String header = result.out().lines().findFirst().orElse("");
        assertTrue(header.startsWith(module + "@"), header);
        assertFalse(result.out().contains("automatic"), result::toString);
    }

    @Test
    void tomljKeepsItsInternalsToItself() throws Exception {
        Result result = run(Spec.inherit(home()), java().toString(), "--describe-module", "org.tomlj");
        List<String> lines = result.out().lines().map(String::strip).toList();
        assertTrue(lines.contains("exports org.tomlj"), result::toString);
        assertTrue(lines.contains("requires org.antlr.antlr4.runtime"), result::toString);
        assertTrue(lines.contains("contains org.tomlj.internal"), result::toString);
    }

    @ParameterizedTest
    @CsvSource({
        "carnival.config.toml, provides dev.carnival.api.config.ConfigSource with dev.carnival.plugins.toml.TomlConfigSource",
        "carnival.config.yaml, provides dev.carnival.api.config.ConfigSource with dev.carnival.plugins.yaml.YamlConfigSource",
        "carnival.restart.policies, provides dev.carnival.api.restart.RestartPolicyProvider with dev.carnival.plugins.restart.NoRestart dev.carnival.plugins.restart.AlwaysRestart dev.carnival.plugins.restart.OnFailureRestart",
        "carnival.logging, provides dev.carnival.api.event.LifecycleListener with dev.carnival.plugins.logging.LoggingListener",
        "carnival.runtime, provides dev.carnival.api.SupervisorEngine with dev.carnival.runtime.compose.Engine",
        "carnival.console.log, provides org.slf4j.spi.SLF4JServiceProvider with dev.carnival.plugins.consolelog.ConsoleLogProvider",
    })
    void pluginsAreLinkedModulesThatProvideTheirServices(String module, String provides) throws Exception {
        Result result = run(Spec.inherit(home()), java().toString(), "--describe-module", module);
        assertEquals(0, result.exit(), result::toString);
        List<String> lines = result.out().lines().map(String::strip).toList();
        String service = provides.split(" ")[1];
        String line = lines.stream().filter(l -> l.startsWith("provides " + service + " "))
                .findFirst().orElse("(none) in\n" + result.out());
        // the order of several providers is not part of the contract
        assertEquals(Set.of(provides.split(" with ")[1].split(" ")), Set.of(line.split(" with ")[1].split(" ")), line);
    }

    /**
     * The boot layer the launcher's main module gets binds every plugin through ServiceLoader
     * ({@code uses} in carnival.runtime and org.slf4j): {@code --dry-run} resolves and loads the
     * main class without running it.
     */
    @Test
    void bootLayerBindsEveryPlugin() throws Exception {
        Result result = run(Spec.inherit(home()), java().toString(), "--show-module-resolution",
                "--enable-native-access=carnival.runtime", "--dry-run", "-m", MAIN);
        assertEquals(0, result.exit(), result::toString);
        Set<String> binds = result.out().lines()
                .filter(line -> line.contains(" binds "))
                .map(line -> line.replaceFirst(" jrt:.*$", ""))
                .collect(Collectors.toSet());
        for (String expected : List.of(
                "carnival.runtime binds carnival.config.toml",
                "carnival.runtime binds carnival.config.yaml",
                "carnival.runtime binds carnival.restart.policies",
                "carnival.runtime binds carnival.logging",
                "org.slf4j binds carnival.console.log")) {
            assertTrue(binds.contains(expected), () -> expected + " not in " + binds);
        }
    }

    @Test
    void holdsTheLauncherAndTheAotCacheButNoJarsHeadersOrManPages() throws IOException {
        Path home = home();
        Set<PosixFilePermission> launcher = Files.getPosixFilePermissions(home.resolve("bin/carnival"));
        assertTrue(launcher.containsAll(Set.of(PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE)), launcher::toString);
        assertTrue(Files.isExecutable(home.resolve("bin/java")));
        assertTrue(Files.size(home.resolve("lib/carnival.aot")) > 0);
        assertFalse(Files.exists(home.resolve("include")), "header files were linked");
        assertFalse(Files.exists(home.resolve("man")), "man pages were linked");
        try (Stream<Path> files = Files.walk(home)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar") && !p.endsWith("jrt-fs.jar")).toList();
            assertEquals(List.of(), jars, "everything is linked into lib/modules; no jar belongs in the image");
        }
        String release = Files.readString(home.resolve("release"));
        String modules = release.lines().filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        assertEquals(new TreeSet<>(EXPECTED_MODULES),
                new TreeSet<>(Arrays.asList(modules.substring("MODULES=".length()).replace("\"", "").split(" "))));
    }
}
