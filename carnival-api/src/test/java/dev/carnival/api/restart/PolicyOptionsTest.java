package dev.carnival.api.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyOptionsTest {
    private static final Location HERE = new Location("carnival.toml", 7, 3);

    private static PolicyOptions options(Map<String, String> values) {
        return new PolicyOptions(values, HERE);
    }

    @Test
    void typedGettersParseValues() throws ConfigException {
        PolicyOptions o = options(Map.of("n", " 42 ", "d", "1.5", "ms", "250", "t", "true", "f", "false", "s", "x"));
        assertEquals(42, o.number("n", 0));
        assertEquals(1.5, o.decimal("d", 0));
        assertEquals(Duration.ofMillis(250), o.millis("ms", Duration.ZERO));
        assertTrue(o.bool("t", false));
        assertFalse(o.bool("f", true));
        assertEquals(Optional.of("x"), o.text("s"));
        assertEquals(HERE, o.location());
    }

    @Test
    void absentKeysGiveTheFallback() throws ConfigException {
        PolicyOptions o = PolicyOptions.none(HERE);
        assertEquals(7, o.number("n", 7));
        assertEquals(2.5, o.decimal("d", 2.5));
        assertEquals(Duration.ofSeconds(3), o.millis("ms", Duration.ofSeconds(3)));
        assertTrue(o.bool("b", true));
        assertEquals(Optional.empty(), o.text("s"));
    }

    @Test
    void badNumberNamesKeyAndLocation() {
        ConfigException e = assertThrows(ConfigException.class, () -> options(Map.of("max", "lots")).number("max", 0));
        assertEquals(HERE, e.location());
        assertEquals("restart option 'max' must be a whole number, got 'lots'", e.problem());
        assertEquals("carnival.toml:7:3: restart option 'max' must be a whole number, got 'lots'", e.getMessage());
    }

    @Test
    void badDecimalNamesKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> options(Map.of("f", "x")).decimal("f", 0));
        assertEquals("restart option 'f' must be a number, got 'x'", e.problem());
        e = assertThrows(ConfigException.class, () -> options(Map.of("f", "NaN")).decimal("f", 0));
        assertEquals("restart option 'f' must be a finite number, got 'NaN'", e.problem());
        e = assertThrows(ConfigException.class, () -> options(Map.of("f", "Infinity")).decimal("f", 0));
        assertEquals("restart option 'f' must be a finite number, got 'Infinity'", e.problem());
        assertEquals(HERE, e.location());
    }

    @Test
    void negativeMillisRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> options(Map.of("wait", "-5")).millis("wait", Duration.ZERO));
        assertEquals("restart option 'wait' must be a number of milliseconds >= 0, got '-5'", e.problem());
        assertEquals(HERE, e.location());
    }

    @Test
    void badBooleanNamesKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> options(Map.of("b", "yes")).bool("b", false));
        assertEquals("restart option 'b' must be true or false, got 'yes'", e.problem());
        assertEquals(HERE, e.location());
    }

    @Test
    void unreadListsKeysNeverAskedForSorted() throws ConfigException {
        PolicyOptions o = options(Map.of("zeta", "1", "alpha", "2", "used", "3", "mid", "4"));
        assertEquals(Set.of("alpha", "mid", "used", "zeta"), o.unread());
        o.number("used", 0);
        o.text("absent");
        assertEquals(java.util.List.of("alpha", "mid", "zeta"), java.util.List.copyOf(o.unread()));
    }

    @Test
    void aKeyReadWithABadValueStillCountsAsRead() {
        PolicyOptions o = options(Map.of("n", "x"));
        assertThrows(ConfigException.class, () -> o.number("n", 0));
        assertEquals(Set.of(), o.unread());
    }

    @Test
    void valuesAreCopied() {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(Map.of("a", "1"));
        PolicyOptions o = options(m);
        m.put("b", "2");
        assertEquals(Set.of("a"), o.unread());
    }
}
