package dev.carnival.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExitStatusTest {

    @Test
    void exitedWithZeroIsSuccess() {
        ExitStatus s = ExitStatus.exited(0);
        assertTrue(s.success());
        assertEquals(0, s.asExitCode());
        assertEquals("exited with code 0", s.describe());
    }

    @Test
    void exitedWithNonZeroIsFailure() {
        ExitStatus s = ExitStatus.exited(3);
        assertFalse(s.success());
        assertEquals(3, s.asExitCode());
        assertEquals("exited with code 3", s.describe());
    }

    @Test
    void killedIsFailureWithShellExitCode() {
        ExitStatus s = ExitStatus.killed(9);
        assertFalse(s.success());
        assertEquals(137, s.asExitCode());
        assertEquals("killed by SIGKILL", s.describe());
        assertEquals(143, ExitStatus.killed(15).asExitCode());
        assertEquals("killed by SIGTERM", ExitStatus.killed(15).describe());
    }

    @Test
    void killedByUnknownSignalDescribesTheNumber() {
        assertEquals("killed by signal 40", ExitStatus.killed(40).describe());
        assertEquals(168, ExitStatus.killed(40).asExitCode());
    }

    @Test
    void valuesCompareByContent() {
        assertEquals(ExitStatus.exited(1), new ExitStatus.Exited(1));
        assertEquals(ExitStatus.killed(2), new ExitStatus.Killed(2));
    }
}
