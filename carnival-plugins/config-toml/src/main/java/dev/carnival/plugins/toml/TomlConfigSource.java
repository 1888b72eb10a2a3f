package dev.carnival.plugins.toml;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.UserText;
import java.util.List;

/**
 * TOML 1.0, the original Carnival's format. {@link TomlReader} reads what configs are made of;
 * anything else, errors included, goes to tomlj ({@link TomljReader}), whose classes are then
 * loaded only for that document.
 *
 * <p>The system property {@value #PROPERTY} or, without it, the environment variable
 * {@value #ENV} chooses the reader: {@code auto} (the default) as above, {@code tomlj} to read
 * every document with tomlj.
 */
public final class TomlConfigSource implements ConfigSource {
    /** The system property that chooses the reader; it wins over {@link #ENV}. */
    public static final String PROPERTY = "carnival.toml.reader";
    /** The environment variable that chooses the reader. */
    public static final String ENV = "CARNIVAL_TOML_READER";

    /** What a document starts with when an editor marks it as UTF-8: not part of the TOML. */
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final String property;
    private final String env;

    /** Reads the switch now: the source is made once per run, by ServiceLoader. */
    public TomlConfigSource() {
        this(System.getProperty(PROPERTY), System.getenv(ENV));
    }

    TomlConfigSource(String property, String env) {
        this.property = property;
        this.env = env;
    }

    @Override
    public String format() {
        return "toml";
    }

    @Override
    public List<String> extensions() {
        return List.of("toml");
    }

    @Override
    public ConfigNode.Table parse(String text, String origin) throws ConfigException {
        boolean fast = fastPath();
        String body = withoutByteOrderMark(text);
        NestingScan.check(body, origin);
        ConfigNode.Table table = fast ? TomlReader.read(body, origin) : null;
        return table != null ? table : TomljReader.parse(body, origin);
    }

    /** False when the switch forces tomlj; an unknown value is an error, never the default. */
    boolean fastPath() throws ConfigException {
        String name = property != null ? PROPERTY : ENV;
        String value = property != null ? property : env;
        if (value == null || value.equals("auto")) {
            return true;
        }
        if (value.equals("tomlj")) {
            return false;
        }
        String where = property != null ? "system property " + name : "environment variable " + name;
        throw new ConfigException(Location.of(where),
                "unknown TOML reader " + UserText.quote(value) + " (known: auto, tomlj)");
    }

    /** Both readers see the document without its byte order mark; positions are unchanged by it. */
    static String withoutByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }
}
