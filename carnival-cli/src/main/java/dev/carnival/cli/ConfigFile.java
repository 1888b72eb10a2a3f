package dev.carnival.cli;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.cli.control.Reloading;
import dev.carnival.runtime.config.BoundConfig;
import dev.carnival.runtime.plugin.PluginException;
import dev.carnival.runtime.reload.ConfigWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config file the supervisor was started with, for reloads: read again as at start and
 * checked as {@code check} does, and, with {@code [global] watch-config}, watched with its env
 * files (those the last good read named).
 */
final class ConfigFile {
    /** How long a directory must be quiet before a change counts: editors and ConfigMaps write in steps. */
    static final Duration DEBOUNCE = Duration.ofMillis(300);
    private static final Logger LOG = LoggerFactory.getLogger("carnival");

    /** Reads and checks the file. */
    @FunctionalInterface
    interface Reader {
        BoundConfig read() throws ConfigException, PluginException;
    }

    private final Path path;
    private final Reader reader;
    private volatile List<Path> envFiles;

    ConfigFile(Path path, Reader reader, List<Path> envFiles) {
        this.path = path;
        this.reader = reader;
        this.envFiles = List.copyOf(envFiles);
    }

    /** The file read again and checked: every problem in the exception. */
    CarnivalConfig read() throws ConfigException {
        BoundConfig bound;
        try {
            bound = reader.read();
        } catch (PluginException e) {
            throw new ConfigException(Location.of(path.toString()), e.getMessage());
        }
        envFiles = bound.envFiles();
        return bound.config();
    }

    /** The files a watcher looks at: the config file, then its env files. */
    List<Path> files() {
        List<Path> all = new ArrayList<>();
        all.add(path.toAbsolutePath());
        envFiles.forEach(p -> all.add(p.toAbsolutePath()));
        return all;
    }

    /** With {@code watch-config}, a watcher that reloads on each settled change; else nothing to close. */
    AutoCloseable watch(GlobalConfig global, Reloading reloading) {
        if (!global.reload().watchConfig()) {
            return () -> {};
        }
        try {
            ConfigWatcher watcher = ConfigWatcher.start(this::files, DEBOUNCE, () -> {
                LOG.info("Config file changed: reloading");
                try {
                    reloading.reload(false, "watch").join();
                } catch (RuntimeException e) {
                    LOG.warn("Reload (watch) refused: {}", e.getCause() == null ? e.getMessage()
                            : e.getCause().getMessage());
                }
            });
            LOG.info("Watching {} for changes", files());
            return watcher;
        } catch (IOException e) {
            LOG.warn("Cannot watch the config file ({}); reload it with carnival reload", e.getMessage());
            return () -> {};
        }
    }
}
