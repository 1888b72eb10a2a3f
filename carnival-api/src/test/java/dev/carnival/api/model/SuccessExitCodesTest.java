package dev.carnival.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuccessExitCodesTest {

    @Test
    void theDefaultIsZeroOnly() {
        assertTrue(SuccessExitCodes.DEFAULT.test(ExitStatus.exited(0)));
        assertFalse(SuccessExitCodes.DEFAULT.test(ExitStatus.exited(1)));
        assertFalse(SuccessExitCodes.DEFAULT.test(ExitStatus.killed(15)));
    }

    @Test
    void aCodeAbove128AlsoMatchesDeathByThatSignal() {
        SuccessExitCodes codes = SuccessExitCodes.of(143, 0);
        assertTrue(codes.test(ExitStatus.exited(143)));
        assertTrue(codes.test(ExitStatus.killed(15)));
        assertFalse(codes.test(ExitStatus.killed(9)));
        assertEquals(List.of(0, 143), List.copyOf(codes.codes()));
    }

    @Test
    void codesAreZeroTo255AndAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new SuccessExitCodes(Set.of()));
        assertThrows(IllegalArgumentException.class, () -> SuccessExitCodes.of(256));
        assertThrows(IllegalArgumentException.class, () -> SuccessExitCodes.of(-1));
    }

    @Test
    void aServiceUsesItsCodesAndAJobCannotRestartAlways() {
        ServiceConfig s = ServiceConfig.builder("s", "true").successExitCodes(SuccessExitCodes.of(0, 143)).build();
        assertTrue(s.succeeded(ExitStatus.exited(143)));
        assertThrows(IllegalArgumentException.class,
                () -> ServiceConfig.builder("j", "true").job(JobSpec.of("@daily")).restart("always").build());
        assertThrows(IllegalArgumentException.class,
                () -> ServiceConfig.builder("s", "true").stopCommand(List.of(" ")).build());
    }
}
