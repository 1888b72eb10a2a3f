/** Reads Carnival configs written in TOML: directly where it can, else with tomlj. */
module carnival.config.toml {
    requires carnival.api;
    requires org.tomlj;

    provides dev.carnival.api.config.ConfigSource with dev.carnival.plugins.toml.TomlConfigSource;
}
