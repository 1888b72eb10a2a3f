package dev.carnival.runtime.config;

import dev.carnival.api.model.CarnivalConfig;

/** A bound configuration and where each of its values came from. */
public record BoundConfig(CarnivalConfig config, SourceMap sources) {}
