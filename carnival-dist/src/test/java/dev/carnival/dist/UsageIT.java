package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: options, environment variables, usage errors. */
class UsageIT {
    @TempDir
    Path dir;

    @Test
    void noConfigNamesBothWaysToGiveOne() {
        try (CarnivalProcess c = CarnivalProcess.run(dir)) {
            assertEquals(2, c.exitCode());
            String line = c.stderr().strip();
            assertFalse(line.contains("\n"), line);
            assertTrue(line.contains("-c/--config") && line.contains("CARNIVAL_CONFIG_TOML"), line);
        }
    }

    @Test
    void unknownOptionAndStrayArgument() {
        try (CarnivalProcess c = CarnivalProcess.run(dir, "--frobnicate")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: unknown option '--frobnicate' (see carnival --help)", c.stderr().strip());
        }
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "x.toml", "extra")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: unexpected argument 'extra' (see carnival --help)", c.stderr().strip());
        }
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: option -c needs a value (see carnival --help)", c.stderr().strip());
        }
    }

    @Test
    void badLogLevelFromOptionOrEnvironment() {
        Configs.write(dir, "c.toml", Configs.ONE_TRUE_SERVICE);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c.toml", "-l", "loud")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: invalid log level 'loud' in -l (choose from debug, info, warn, error) (see carnival --help)",
                    c.stderr().strip());
        }
        try (CarnivalProcess c = CarnivalProcess.run(dir, Map.of("CARNIVAL_LOG_LEVEL", "loud"), "-c", "c.toml")) {
            assertEquals(2, c.exitCode());
            assertTrue(c.stderr().contains("invalid log level 'loud' in CARNIVAL_LOG_LEVEL"), c.stderr());
        }
    }

    @Test
    void helpAndVersion() {
        try (CarnivalProcess c = CarnivalProcess.run(dir, "--help")) {
            assertEquals(0, c.exitCode());
            assertTrue(c.stdout().startsWith("Usage: carnival"), c.stdout());
            assertTrue(c.stdout().contains("CARNIVAL_CONFIG_TOML"));
        }
        try (CarnivalProcess c = CarnivalProcess.run(dir, "--version")) {
            assertEquals(0, c.exitCode());
            assertTrue(c.stdout().matches("carnival \\d+\\.\\d+\\.\\d+.* \\(Java 25[^)]*\\)\\n"), c.stdout());
        }
    }

    @Test
    void configFromEnvironmentWithAnyFileName() {
        Configs.write(dir, "carnival.conf", "[[service]]\nname = \"a\"\ncommand = \"touch\"\nargs = [\"ran\"]\n");
        try (CarnivalProcess c = CarnivalProcess.run(dir, Map.of("CARNIVAL_CONFIG_TOML", "carnival.conf"))) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(dir.resolve("ran").toFile().exists());
        }
    }

    @Test
    void optionWinsOverEnvironment() {
        Configs.write(dir, "good.toml", "[[service]]\nname = \"a\"\ncommand = \"touch\"\nargs = [\"ran\"]\n");
        try (CarnivalProcess c = CarnivalProcess.run(dir, Map.of("CARNIVAL_CONFIG_TOML", "missing.toml"), "--config=good.toml")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(dir.resolve("ran").toFile().exists());
        }
    }

    @Test
    void logLevelControlsOutput() {
        Configs.write(dir, "c.toml", Configs.ONE_TRUE_SERVICE);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c.toml")) {
            assertEquals(0, c.exitCode());
            assertTrue(c.stderr().contains("[INFO] a[0] started with PID"), c.stderr());
            assertTrue(c.stderr().contains("[INFO] a[0] exited with code 0"), c.stderr());
            assertTrue(c.stderr().contains("[INFO] The Carnival is over (exit code 0)"), c.stderr());
        }
        try (CarnivalProcess c = CarnivalProcess.run(dir, Map.of("CARNIVAL_LOG_LEVEL", "error"), "-c", "c.toml")) {
            assertEquals(0, c.exitCode());
            assertEquals("", c.stderr());
        }
    }
}
