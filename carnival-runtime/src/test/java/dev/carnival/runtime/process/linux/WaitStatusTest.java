package dev.carnival.runtime.process.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.model.ExitStatus;
import org.junit.jupiter.api.Test;

class WaitStatusTest {
    @Test
    void decodesExitCodes() {
        assertEquals(new ExitStatus.Exited(0), WaitStatus.decode(0));
        assertEquals(new ExitStatus.Exited(3), WaitStatus.decode(0x0300));
        assertEquals(new ExitStatus.Exited(255), WaitStatus.decode(0xff00));
    }

    @Test
    void decodesSignalsWithAndWithoutCoreDump() {
        assertEquals(new ExitStatus.Killed(9), WaitStatus.decode(0x09));
        assertEquals(new ExitStatus.Killed(11), WaitStatus.decode(0x8b));
    }

    @Test
    void rejectsStoppedAndContinued() {
        assertThrows(IllegalArgumentException.class, () -> WaitStatus.decode(0x137f));
        assertThrows(IllegalArgumentException.class, () -> WaitStatus.decode(0xffff));
    }
}
