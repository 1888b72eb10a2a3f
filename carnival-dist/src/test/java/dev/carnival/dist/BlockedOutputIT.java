package dev.carnival.dist;

import static dev.carnival.dist.CarnivalProcess.withConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.dist.ImageHarness.Unread;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Carnival's own stdout or stderr on a pipe that nobody reads (a stuck or SIGSTOPped log reader):
 * output and log are best effort, so supervision goes on and SIGTERM still ends it within
 * shutdown-timeout-ms.
 */
@Tag(ImageHarness.JDK_FALLBACK)
class BlockedOutputIT {
    private static final long SHUTDOWN_TIMEOUT_MS = 3000;

    @TempDir
    Path dir;

    /** Waits until the restarting service has run {@code n} times: supervision is going on. */
    private void awaitRuns(CarnivalProcess c, long n) {
        Path runs = dir.resolve("runs");
        Await.until(() -> n + " runs of the restarting service; log:\n" + c.stderr(), () -> Configs.lines(runs) >= n);
    }

    private static long millisToExitAfterTerm(CarnivalProcess c) {
        long t0 = System.nanoTime();
        c.signal("TERM");
        assertEquals(0, c.exitCode(), c.stderr());
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void aFloodOfPrefixedOutputToAStdoutNobodyReadsHoldsUpNeitherRestartsNorTheShutdown() {
        String toml = """
                [global]
                shutdown-timeout-ms = %d
                [[service]]
                name = "flood"
                command = "yes"
                output = "prefix"
                [[service]]
                name = "tick"
                command = "sh"
                args = ["-c", "echo run >> runs"]
                restart = "always"
                restart-delay-ms = 20
                """.formatted(SHUTDOWN_TIMEOUT_MS);
        try (CarnivalProcess c = CarnivalProcess.startUnread(dir, Unread.STDOUT, withConfig(dir, toml))) {
            awaitRuns(c, 20);
            // By now the pipe (64 KiB) and Carnival's own buffer for it are long full: restarts go on.
            long before = Configs.lines(dir.resolve("runs"));
            awaitRuns(c, before + 10);
            long took = millisToExitAfterTerm(c);
            assertTrue(took < SHUTDOWN_TIMEOUT_MS, "SIGTERM to exit took " + took + " ms; log:\n" + c.stderr());
            String log = c.stderr();
            assertTrue(log.matches("(?s).*Dropped \\d+ lines of output to stdout: it was not being read.*"), log);
            assertFalse(log.contains("SIGKILL"), "every service stopped at its stop signal:\n" + log);
        }
    }

    @Test
    void aStderrNobodyReadsHoldsUpNeitherSupervisionNorTheShutdown() {
        String toml = """
                [global]
                shutdown-timeout-ms = %d
                [[service]]
                name = "churn"
                command = "sh"
                args = ["-c", "echo run >> runs"]
                restart = "always"
                restart-delay-ms = 0
                [[service]]
                name = "stay"
                command = "sleep"
                args = ["1000"]
                """.formatted(SHUTDOWN_TIMEOUT_MS);
        try (CarnivalProcess c = CarnivalProcess.startUnread(dir, Unread.STDERR, withConfig(dir, toml))) {
            // Two log lines of about 60 bytes per run: 1000 runs fill the 64 KiB pipe twice over.
            awaitRuns(c, 1000);
            long took = millisToExitAfterTerm(c);
            assertTrue(took < SHUTDOWN_TIMEOUT_MS, "SIGTERM to exit took " + took + " ms");
        }
    }
}
