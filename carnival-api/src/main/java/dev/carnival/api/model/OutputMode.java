package dev.carnival.api.model;

/** Where a service's stdout and stderr go. */
public enum OutputMode {
    /** Straight to Carnival's own stdout and stderr, untouched (the original's behaviour). */
    INHERIT,
    /** Through Carnival, each line prefixed with {@code name[replica] | }, never torn or interleaved. */
    PREFIX
}
