package dev.carnival.api.config;

import java.util.Objects;

/**
 * A configuration problem that a user must fix. Its message is one line: where, then what
 * ({@code carnival.toml:4:1: unknown key 'replica' in [[service]] #1}).
 */
public final class ConfigException extends Exception {
    /** Where the problem is. */
    private final Location location;
    /** What the problem is, without the location. */
    private final String problem;

    /** A problem at {@code location}; {@code problem} says what, without the location. */
    public ConfigException(Location location, String problem) {
        super(location + ": " + problem);
        this.location = Objects.requireNonNull(location, "location");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** A problem at {@code location} found through {@code cause}, such as a parser's exception. */
    public ConfigException(Location location, String problem, Throwable cause) {
        this(location, problem);
        initCause(cause);
    }

    /** Where the problem is. */
    public Location location() {
        return location;
    }

    /** What the problem is, without the location. */
    public String problem() {
        return problem;
    }
}
