package dev.carnival.api.config;

import java.util.List;

/**
 * Reads one configuration format into a {@link ConfigNode.Table}. A source only parses: key
 * spelling, interpolation, defaults and validation are done once, by Carnival's binder, for every
 * format alike.
 *
 * <p>Found with {@link java.util.ServiceLoader}. Called on the thread that loads the
 * configuration, before anything starts; it must not keep state between calls.
 */
public interface ConfigSource {
    /**
     * How deeply tables and arrays may nest, the document's own table counting as the first
     * level. A Carnival config needs four; this leaves room for any honest use of options. A
     * source must refuse a deeper document while parsing (with the location of the first value
     * too deep), before its own parser can run out of stack; Carnival checks every tree again.
     */
    int MAX_DEPTH = 64;

    /** The format's name, unique among sources, as given to {@code --format} (e.g. {@code toml}). */
    String format();

    /** File extensions this source reads, without the dot (e.g. {@code toml}). */
    List<String> extensions();

    /**
     * Parses a whole document.
     *
     * @param text   the file's content
     * @param origin the file name to put in every {@link Location}
     * @throws ConfigException for a syntax error, with its line and column
     */
    ConfigNode.Table parse(String text, String origin) throws ConfigException;
}
