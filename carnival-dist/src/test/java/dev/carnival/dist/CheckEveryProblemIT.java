package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code carnival check} (and a start) reports every problem of a config in one run: a key that
 * fails to bind does not keep policies, probes and dependencies from being resolved, and an
 * unknown name close to a known one says which.
 */
class CheckEveryProblemIT {
    @TempDir
    Path dir;

    private static final String TOML = """
            [[service]]
            name = "a"
            command = "true"
            replicas = -1
            [[service]]
            name = "b"
            command = "true"
            restart = "alway"
            depends-on = ["nobody-by-that-name"]
            [service.liveness]
            probe = "tpc"
            options = { port = "1" }
            [[service]]
            name = "c"
            command = "true"
            restart = "sometimes"
            """;

    private static final String EXPECTED = """
            carnival: c.toml:4:1: 'replicas' in [[service]] 'a' must be a whole number >= 0, got -1
            carnival: c.toml:8:1: service 'b': unknown restart policy 'alway' (did you mean 'always'?)
            carnival: c.toml:9:15: service 'b' depends on unknown service 'nobody-by-that-name' (services: a, b, c)
            carnival: c.toml:11:1: liveness of service 'b': unknown probe 'tpc' (did you mean 'tcp'?)
            carnival: c.toml:16:1: unknown restart policy 'sometimes' for service 'c' (known policies: always, no, on-failure)
            """;

    @Test
    void checkReportsEveryProblemAtOnce() {
        CarnivalProcess c = CarnivalProcess.runConfig(dir, TOML, "check");
        assertEquals(2, c.exitCode());
        assertEquals(EXPECTED, c.stderr());
        assertEquals("", c.stdout());
    }

    @Test
    void aStartReportsThemAllToo() {
        CarnivalProcess c = CarnivalProcess.runConfig(dir, TOML);
        assertEquals(2, c.exitCode());
        assertEquals(EXPECTED, c.stderr());
    }
}
