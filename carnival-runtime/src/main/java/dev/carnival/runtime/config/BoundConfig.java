package dev.carnival.runtime.config;

import dev.carnival.api.model.CarnivalConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A bound configuration and where each of its values came from.
 *
 * @param envFiles the env files it read, as resolved against the config file (what a config
 *                 watcher watches beside it)
 */
public record BoundConfig(CarnivalConfig config, SourceMap sources, List<Path> envFiles) {
    public BoundConfig {
        envFiles = List.copyOf(envFiles);
    }

    /** A configuration that read no env file. */
    public BoundConfig(CarnivalConfig config, SourceMap sources) {
        this(config, sources, List.of());
    }
}
