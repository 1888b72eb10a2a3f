package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example runs to completion with the command the README gives. */
@Tag(ImageHarness.JDK_FALLBACK)
class ExampleIT {
    static final Path EXAMPLES = Path.of(System.getProperty("carnival.examples", "../examples"));

    @TempDir
    Path dir;

    @Test
    void exampleConfigRunsToCompletion() {
        Map<String, String> env = Map.of("DATA_DIR", dir.resolve("data").toString());
        try (CarnivalProcess c = CarnivalProcess.start(dir, env, "-c", EXAMPLES.resolve("example.toml").toAbsolutePath().toString())) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stdout().contains("Data directory ready: " + dir.resolve("data")), c.stdout());
            assertTrue(c.stdout().contains("Service echo-service replica 1/2 started"), c.stdout());
            assertTrue(c.stderr().contains("counter[0] reached restart limit (2), stopping"), c.stderr());
            assertTrue(c.stderr().contains("failing-service[0] reached restart limit (3), stopping"), c.stderr());
            c.assertNoStackTrace();
        }
    }
}
