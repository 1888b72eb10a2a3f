package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Third-party plugin modules, compiled here, loaded by the real command from a plugin directory. */
class PluginsIT {
    private static final String TWICE_MODULE = """
            module test.twice {
                requires carnival.api;
                provides dev.carnival.api.restart.RestartPolicyProvider with test.twice.Twice;
            }
            """;
    private static final String TWICE = """
            package test.twice;

            import dev.carnival.api.config.ConfigException;
            import dev.carnival.api.restart.*;

            public final class Twice implements RestartPolicyProvider {
                public String name() { return "test-twice"; }
                public RestartPolicy create(PolicyOptions options) throws ConfigException {
                    java.time.Duration delay = options.millis("delay-ms", java.time.Duration.ZERO);
                    return outcome -> outcome.run() < 2
                            ? RestartDecision.restartAfter(delay)
                            : RestartDecision.stop("policy: test-twice");
                }
            }
            """;
    private static final String CONFIG = """
            [[service]]
            name = "p"
            command = "sh"
            args = ["-c", "echo run >> runs"]
            restart = "test-twice"
            [service.restart-options]
            delay_ms = "${PLUGIN_DELAY:-5}"
            """;

    @TempDir
    Path dir;

    private Path twicePlugin() {
        return TestModules.jar(dir, dir.resolve("plugins"), "test-twice.jar", Map.of(
                "module-info.java", TWICE_MODULE, "test/twice/Twice.java", TWICE));
    }

    /** Issue 15 #13: anyone who can write the plugin directory (or a jar in it) could put code into Carnival. */
    @Test
    void aPluginDirectoryOrJarOthersCanWriteIsRefused() throws Exception {
        Path jar = twicePlugin();
        Path plugins = dir.resolve("plugins");
        Configs.write(dir, "c.toml", CONFIG);
        for (Path writable : List.of(plugins, jar)) {
            Set<PosixFilePermission> before = Files.getPosixFilePermissions(writable);
            Set<PosixFilePermission> open = EnumSet.copyOf(before);
            open.add(PosixFilePermission.OTHERS_WRITE);
            Files.setPosixFilePermissions(writable, open);
            try (CarnivalProcess c = CarnivalProcess.run(dir, "--plugin-path", "plugins", "-c", "c.toml")) {
                assertEquals(2, c.exitCode(), c.stderr());
                List<String> lines = c.stderr().lines().toList();
                assertEquals(1, lines.size(), c.stderr());
                assertTrue(lines.getFirst().startsWith("carnival: plugin " + (writable == jar ? "jar" : "directory")
                        + " 'plugins"), c.stderr());
                assertTrue(lines.getFirst().contains("is writable by others than its owner"), c.stderr());
                c.assertNoStackTrace();
                assertTrue(Files.notExists(dir.resolve("runs")), "nothing may start");
            }
            Files.setPosixFilePermissions(writable, before);
        }
    }

    @Test
    void aPolicyFromAPluginModuleCanBeNamedInAConfig() {
        twicePlugin();
        Configs.write(dir, "c.toml", CONFIG);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "--plugin-path", "plugins", "-c", "c.toml")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(2, Configs.lines(dir.resolve("runs")), "test-twice runs a replica twice");
            assertTrue(c.stderr().contains("p[0] not restarting (policy: test-twice)"), c.stderr());
        }
    }

    @Test
    void pluginPathFromTheEnvironment() {
        twicePlugin();
        Configs.write(dir, "c.toml", CONFIG);
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_PLUGIN_PATH", "/nonexistent-first:plugins"), "-c", "c.toml")) {
            assertEquals(2, c.exitCode(), "a missing plugin directory is an error, not skipped");
            assertEquals("carnival: plugin path '/nonexistent-first' is not a directory", c.stderr().strip());
        }
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_PLUGIN_PATH", "plugins"), "-c", "c.toml")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(2, Configs.lines(dir.resolve("runs")));
        }
    }

    @Test
    void withoutThePluginThePolicyIsUnknown() {
        Configs.write(dir, "c.toml", CONFIG);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c.toml")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: c.toml:5:1: unknown restart policy 'test-twice' for service 'p' (known policies: always, no, on-failure)",
                    c.stderr().strip());
        }
    }

    @Test
    void pluginsCommandListsEveryPluginAndWhereItCameFrom() {
        Path jar = twicePlugin();
        try (CarnivalProcess c = CarnivalProcess.run(dir, "plugins", "--plugin-path", "plugins")) {
            assertEquals(0, c.exitCode(), c.stderr());
            List<String> lines = c.stdout().lines().toList();
            assertTrue(lines.getFirst().matches("KIND +NAME +MODULE +ORIGIN"), lines.getFirst());
            assertTrue(lines.stream().anyMatch(l -> l.matches("config-source +toml +carnival\\.config\\.toml +built-in")), c.stdout());
            assertTrue(lines.stream().anyMatch(l -> l.matches("restart-policy +on-failure +carnival\\.restart\\.policies +built-in")), c.stdout());
            assertTrue(lines.stream().anyMatch(l -> l.matches("restart-policy +test-twice +test\\.twice +plugins/test-twice\\.jar")), c.stdout());
            assertTrue(lines.stream().anyMatch(l -> l.matches("listener +LoggingListener +carnival\\.logging +built-in")), c.stdout());
        }
    }

    @Test
    void aPluginCannotTakeOverABuiltInName() {
        TestModules.jar(dir, dir.resolve("plugins"), "evil.jar", Map.of(
                "module-info.java", "module test.evil { requires carnival.api; provides dev.carnival.api.restart.RestartPolicyProvider with test.evil.Always; }",
                "test/evil/Always.java", """
                        package test.evil;
                        import dev.carnival.api.restart.*;
                        public final class Always implements RestartPolicyProvider {
                            public String name() { return "always"; }
                            public RestartPolicy create(PolicyOptions o) { return x -> RestartDecision.stop("evil"); }
                        }
                        """));
        try (CarnivalProcess c = CarnivalProcess.run(dir, "plugins", "--plugin-path", "plugins")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: restart policy 'always' is provided twice: by module carnival.restart.policies (built-in)"
                    + " and by module test.evil (plugins/evil.jar)", c.stderr().strip());
        }
    }

    @Test
    void aJarThatIsNotAModuleIsRejectedByName() {
        TestModules.plainJar(dir.resolve("plugins"), "old-style.jar");
        try (CarnivalProcess c = CarnivalProcess.run(dir, "plugins", "--plugin-path", "plugins")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: plugin jar 'plugins/old-style.jar' is not a module (it has no module-info.class)",
                    c.stderr().strip());
        }
    }

    @Test
    void aProviderThatThrowsWhileBeingCreatedIsNamed() {
        TestModules.jar(dir, dir.resolve("plugins"), "broken.jar", Map.of(
                "module-info.java", "module test.broken { requires carnival.api; provides dev.carnival.api.restart.RestartPolicyProvider with test.broken.Broken; }",
                "test/broken/Broken.java", """
                        package test.broken;
                        import dev.carnival.api.restart.*;
                        public final class Broken implements RestartPolicyProvider {
                            public Broken() { throw new IllegalStateException("no licence key"); }
                            public String name() { return "broken"; }
                            public RestartPolicy create(PolicyOptions o) { return null; }
                        }
                        """));
        try (CarnivalProcess c = CarnivalProcess.run(dir, "plugins", "--plugin-path", "plugins")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: plugin test.broken.Broken in module test.broken failed to load: "
                    + "IllegalStateException: no licence key", c.stderr().strip());
            c.assertNoStackTrace();
        }
    }

    @Test
    void aListenerThatThrowsIsIsolatedAndLoggedOnce() {
        TestModules.jar(dir, dir.resolve("plugins"), "grumpy.jar", Map.of(
                "module-info.java", "module test.grumpy { requires carnival.api; provides dev.carnival.api.event.LifecycleListener with test.grumpy.Grumpy; }",
                "test/grumpy/Grumpy.java", """
                        package test.grumpy;
                        import dev.carnival.api.event.*;
                        public final class Grumpy implements LifecycleListener {
                            public void onEvent(LifecycleEvent e) { throw new IllegalStateException("grumpy"); }
                        }
                        """));
        Configs.write(dir, "c.toml", """
                [[service]]
                name = "r"
                command = "sh"
                args = ["-c", "echo run >> runs"]
                restart = "always"
                restart-delay-ms = 0
                restart-limit = 3
                """);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "--plugin-path", "plugins", "-c", "c.toml")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(3, Configs.lines(dir.resolve("runs")));
            assertEquals(1, c.stderr().lines().filter(l -> l.contains("listener Grumpy (module test.grumpy) failed on ")).count(),
                    c.stderr());
            c.assertNoStackTrace();
        }
    }
}
