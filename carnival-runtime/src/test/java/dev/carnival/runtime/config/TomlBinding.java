package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.plugins.toml.TomlConfigSource;
import java.util.Map;

/**
 * TOML text bound as a config file named {@code origin} would be, with {@code env} as Carnival's
 * environment for interpolation: what the binder's tests share.
 */
record TomlBinding(String origin, Map<String, String> env) {
    BoundConfig bound(String toml) throws ConfigException {
        return new ConfigBinder(new Interpolator(env)).bind(new TomlConfigSource().parse(toml, origin));
    }

    CarnivalConfig bind(String toml) throws ConfigException {
        return bound(toml).config();
    }

    /** Binding {@code toml} fails at {@code line:column} with exactly {@code problem}. */
    ConfigException fails(String toml, int line, int column, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> bind(toml));
        assertEquals(problem, e.problem());
        assertEquals(new Location(origin, line, column), e.location(), "location of: " + problem);
        return e;
    }
}
