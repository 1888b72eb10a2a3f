package dev.carnival.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalTest {

    @ParameterizedTest
    @CsvSource({
        "SIGTERM, TERM",
        "TERM, TERM",
        "term, TERM",
        "sigterm, TERM",
        "15, TERM",
        "' SIGINT ', INT",
        "KILL, KILL",
        "9, KILL",
        "SIGHUP, HUP",
        "1, HUP",
        "usr1, USR1",
        "SIGWINCH, WINCH",
        "31, SYS",
    })
    void parsesNamesAndNumbers(String text, Signal expected) {
        assertEquals(expected, Signal.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGFOO", "FOO", "", "  ", "0", "32", "64", "-15", "SIG", "99999999999999999999", "1.5", "SIG15"})
    void rejectsUnknownSignalsNamingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signal.parse(text));
        assertEquals("unknown signal '" + text + "'", e.getMessage());
    }

    @Test
    void numbersAreLinuxNumbers() {
        assertEquals(15, Signal.TERM.number());
        assertEquals(9, Signal.KILL.number());
        assertEquals(2, Signal.INT.number());
        assertEquals(10, Signal.USR1.number());
        assertEquals(12, Signal.USR2.number());
        assertEquals(17, Signal.CHLD.number());
    }

    @Test
    void everyNumberIsUniqueAndRoundTrips() {
        for (Signal s : Signal.values()) {
            assertEquals(Optional.of(s), Signal.ofNumber(s.number()));
            assertEquals(s, Signal.parse(s.signalName()));
            assertEquals(s, Signal.parse(Integer.toString(s.number())));
        }
        assertTrue(Signal.ofNumber(0).isEmpty());
        assertTrue(Signal.ofNumber(64).isEmpty());
    }

    @Test
    void signalNameHasSigPrefix() {
        assertEquals("SIGTERM", Signal.TERM.signalName());
        assertEquals("SIGKILL", Signal.KILL.signalName());
    }

    @Test
    void describeNamesKnownSignalsAndNumbersUnknownOnes() {
        assertEquals("SIGKILL", Signal.describe(9));
        assertEquals("SIGTERM", Signal.describe(15));
        assertEquals("signal 64", Signal.describe(64));
        assertEquals("signal 0", Signal.describe(0));
    }
}
