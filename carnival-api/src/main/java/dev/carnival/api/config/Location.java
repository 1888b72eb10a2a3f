package dev.carnival.api.config;

/**
 * Where something was written: a file (or other origin) and a 1-based line and column.
 * Line or column 0 means unknown.
 */
public record Location(String origin, int line, int column) {
    /** A location with no position, for values built in code. */
    public static Location of(String origin) {
        return new Location(origin, 0, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return origin;
        }
        return column <= 0 ? origin + ":" + line : origin + ":" + line + ":" + column;
    }
}
