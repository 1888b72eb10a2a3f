package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which process control runs: native by default on Linux, the JDK fallback when
 * CARNIVAL_PROCESS_CONTROL=jdk (the build runs the behaviour suites both ways).
 */
@Tag(ImageHarness.JDK_FALLBACK)
class ProcessControlIT {
    @TempDir
    Path dir;

    @Test
    void theChosenProcessControlIsTheOneInUse() {
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, Configs.ONE_TRUE_SERVICE)) {
            assertEquals(0, c.exitCode(), c.stderr());
            String expected = ImageHarness.jdkProcessControl()
                    ? "Process control: JDK Process API"
                    : "Process control: Linux native";
            assertTrue(c.stderr().contains(expected), c.stderr());
        }
    }

    /**
     * The JDK fallback cannot switch users: as root, a config with one is refused before anything
     * runs (as another user, user names Carnival's own and nothing needs switching).
     */
    @Test
    void userNeedsNativeProcessControl() throws java.io.IOException {
        assumeTrue(java.nio.file.Files.readString(Path.of("/proc/self/status")).contains("Uid:\t0\t"), "needs root");
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, """
                [[init]]
                command = "touch"
                args = ["init-ran"]
                [[service]]
                name = "a"
                command = "touch"
                args = ["service-ran"]
                user = "root"
                """)) {
            if (ImageHarness.jdkProcessControl()) {
                assertEquals(2, c.exitCode(), c.stderr());
                assertTrue(c.stderr().contains("c.toml:8:1: service 'a': 'user' needs native process control"), c.stderr());
                assertTrue(!dir.resolve("init-ran").toFile().exists(), "nothing runs");
            } else {
                assertEquals(0, c.exitCode(), c.stderr());
                assertTrue(dir.resolve("service-ran").toFile().exists());
            }
        }
    }

    @Test
    void anUnknownChoiceIsAUsageError() {
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_PROCESS_CONTROL", "fast"), "-c", "c.toml")) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: unknown process control 'fast' (choose auto, native or jdk) in CARNIVAL_PROCESS_CONTROL"
                    + " (see carnival --help)", c.stderr().strip());
        }
    }
}
