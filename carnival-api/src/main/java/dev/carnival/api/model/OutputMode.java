package dev.carnival.api.model;

/** Where a service's stdout and stderr go. */
public enum OutputMode {
    /** Straight to Carnival's own stdout and stderr, untouched (the original's behaviour). */
    INHERIT,
    /** Through Carnival, each line prefixed with {@code name[replica] | }, never torn or interleaved. */
    PREFIX,
    /** Through Carnival, each line as it was written, never torn or interleaved. */
    RAW,
    /**
     * Through Carnival, each line as one JSON object: {@code {"time", "service", "replica",
     * "stream", "line"}}; bytes that are not UTF-8 are escaped losslessly.
     */
    JSON;

    /** True when the lines pass through Carnival: they can be buffered, followed and matched. */
    public boolean captured() {
        return this != INHERIT;
    }
}
