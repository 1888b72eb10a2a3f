package dev.carnival.plugins.toml;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.ConfigSource;
import java.util.List;

/**
 * TOML 1.0, the original Carnival's format. {@link TomlReader} reads what configs are made of;
 * anything else, errors included, goes to tomlj ({@link TomljReader}), whose classes are then
 * loaded only for that document.
 */
public final class TomlConfigSource implements ConfigSource {
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
        NestingScan.check(text, origin);
        ConfigNode.Table table = TomlReader.read(text, origin);
        return table != null ? table : TomljReader.parse(text, origin);
    }
}
