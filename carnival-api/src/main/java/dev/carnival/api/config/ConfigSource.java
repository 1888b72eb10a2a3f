package dev.carnival.api.config;

import java.util.List;

/**
 * Reads one configuration format into a {@link ConfigNode.Table}. A source only parses: key
 * spelling, interpolation, defaults and validation are done once, by Carnival's binder, for every
 * format alike.
 *
 * <p>Found with {@link java.util.ServiceLoader}. Called on the thread that loads the
 * configuration, before anything starts; it must not keep state between calls. It must refuse a
 * document nested deeper than {@link Limits#MAX_DEPTH} while parsing.
 */
public interface ConfigSource {

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
