package dev.carnival.cli.control;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;

/** How a reload reads the config the supervisor was started with: again, and checked completely. */
@FunctionalInterface
public interface ConfigReader {
    /** For a supervisor that was not started from a file. */
    ConfigReader NONE = () -> {
        throw new ConfigException(Location.of("reload"), "this supervisor was not started from a config file");
    };

    /**
     * The file read again (same path and format, interpolated against the supervisor's own
     * environment, env files read again) and checked as {@code carnival check} does.
     *
     * @throws ConfigException the first problem, carrying every other as suppressed
     */
    CarnivalConfig read() throws ConfigException;
}
