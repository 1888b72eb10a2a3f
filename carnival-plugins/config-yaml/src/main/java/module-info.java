/** Reads Carnival configs written in YAML 1.2, with snakeyaml-engine. */
module carnival.config.yaml {
    requires carnival.api;
    requires org.snakeyaml.engine.v2;

    provides dev.carnival.api.config.ConfigSource with dev.carnival.plugins.yaml.YamlConfigSource;
}
