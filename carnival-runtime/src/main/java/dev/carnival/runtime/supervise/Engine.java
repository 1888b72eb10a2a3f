package dev.carnival.runtime.supervise;

import dev.carnival.api.Supervisor;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.spi.SupervisorEngine;
import java.nio.file.Path;

/** Placeholder while the engine is written. */
public final class Engine implements SupervisorEngine {
    @Override
    public CarnivalConfig read(Path file) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Supervisor create(Request request) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }
}
