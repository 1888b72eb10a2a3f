package dev.carnival.api.config;

/**
 * What a configuration may be, whatever its format; past these it is refused at load with a
 * {@link ConfigException} naming where. The README's "Limits" section states the same.
 */
public final class Limits {
    /** The largest config file, counted in bytes read: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;

    /**
     * How deeply tables and arrays may nest, the document's own table being the first level. A
     * Carnival config needs four; 64 leaves room for any honest use of options. A
     * {@link ConfigSource} must refuse a deeper document while parsing (with the location of the
     * first value too deep), before its own parser can run out of stack; Carnival checks every
     * tree again.
     */
    public static final int MAX_DEPTH = 64;

    /**
     * The longest duration any key or restart option takes: 7 days, in milliseconds. Far beyond
     * any honest timeout or delay, and far from where arithmetic in nanoseconds overflows.
     */
    public static final long MAX_MILLIS = 7L * 24 * 60 * 60 * 1000;

    private Limits() {}
}
