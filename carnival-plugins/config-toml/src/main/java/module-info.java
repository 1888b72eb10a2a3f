/** Reads Carnival configs written in TOML, with tomlj. */
module carnival.config.toml {
    requires carnival.api;
    requires org.tomlj;

    provides dev.carnival.api.config.ConfigSource with dev.carnival.plugins.toml.TomlConfigSource;
}
