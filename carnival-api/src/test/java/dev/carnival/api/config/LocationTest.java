package dev.carnival.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LocationTest {

    @Test
    void printsOnlyWhatIsKnown() {
        assertEquals("c.toml:4:7", new Location("c.toml", 4, 7).toString());
        assertEquals("c.toml:4", new Location("c.toml", 4, 0).toString());
        assertEquals("c.toml", Location.of("c.toml").toString());
    }

    @Test
    void configExceptionMessageIsWhereThenWhat() {
        Location at = new Location("c.toml", 2, 1);
        IllegalStateException cause = new IllegalStateException("x");
        ConfigException e = new ConfigException(at, "bad thing", cause);
        assertEquals("c.toml:2:1: bad thing", e.getMessage());
        assertEquals("bad thing", e.problem());
        assertSame(at, e.location());
        assertSame(cause, e.getCause());
    }
}
