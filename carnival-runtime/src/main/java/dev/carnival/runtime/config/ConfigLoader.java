package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.Limits;
import dev.carnival.api.config.UserText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Reads a config file with the right {@link ConfigSource} and binds it. */
public final class ConfigLoader {
    /** Configs are small; anything larger is a mistake (or an attack on a parser). */
    public static final long MAX_BYTES = Limits.MAX_BYTES;

    private final Map<String, ConfigSource> sourcesByFormat;
    private final ConfigBinder binder;

    /** @param sourcesByFormat every available source, by {@link ConfigSource#format()} */
    public ConfigLoader(Map<String, ConfigSource> sourcesByFormat, ConfigBinder binder) {
        this.sourcesByFormat = Map.copyOf(sourcesByFormat);
        this.binder = binder;
    }

    /**
     * Reads and binds {@code file}.
     *
     * @param format the format to use, or empty to pick one by the file's extension
     */
    public BoundConfig load(Path file, Optional<String> format) throws ConfigException {
        return load(file, pick(file, format));
    }

    /** Reads and binds {@code file} with {@code source}. */
    public BoundConfig load(Path file, ConfigSource source) throws ConfigException {
        return loadAll(file, source).orThrow();
    }

    /**
     * Reads {@code file} with {@code source} and binds it as far as it goes (see
     * {@link ConfigBinder.Attempt}); throws when it cannot be read or parsed.
     */
    public ConfigBinder.Attempt loadAll(Path file, ConfigSource source) throws ConfigException {
        return binder.bindAll(source.parse(read(file), file.toString()));
    }

    /** The source that reads files with {@code file}'s extension, if any. */
    public Optional<ConfigSource> byExtension(Path file) {
        String ext = extension(file);
        return sourcesByFormat.values().stream()
                .filter(s -> s.extensions().stream().anyMatch(e -> e.equalsIgnoreCase(ext)))
                .findFirst();
    }

    /** The source for a file: by explicit format, else by extension. */
    public ConfigSource pick(Path file, Optional<String> format) throws ConfigException {
        if (format.isPresent()) {
            ConfigSource s = sourcesByFormat.get(format.get().toLowerCase(Locale.ROOT));
            if (s == null) {
                throw new ConfigException(Location.of(file.toString()),
                        "unknown config format " + UserText.quote(format.get()) + " (known formats: " + known() + ")");
            }
            return s;
        }
        Optional<ConfigSource> source = byExtension(file);
        if (source.isPresent()) {
            return source.get();
        }
        String ext = extension(file);
        String what = ext.isEmpty() ? "a file name without extension" : "extension " + UserText.quote("." + ext);
        throw new ConfigException(Location.of(file.toString()),
                "cannot tell the config format from " + what + " (known formats: " + known() + "; use --format)");
    }

    /** The file name's extension without the dot, lower-cased; empty when there is none. */
    private static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private String known() {
        return sourcesByFormat.isEmpty() ? "none: no config source plugin found" : String.join(", ", new TreeSet<>(sourcesByFormat.keySet()));
    }

    /**
     * The file's text. The limit holds for the bytes read, not for the size a file claims, so
     * {@code /dev/zero}, a pipe or a file still growing stop at it too. A FIFO waits for a writer,
     * as any reader of one does; a signal then ends Carnival with a line saying what it waited for.
     */
    private static String read(Path file) throws ConfigException {
        Location where = Location.of(file.toString());
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new ConfigException(where, "config file is a directory");
            }
            if (attributes.isRegularFile() && attributes.size() > MAX_BYTES) {
                throw new ConfigException(where, "config file is " + attributes.size() + " bytes; the limit is "
                        + MAX_BYTES + " (1 MiB)");
            }
            byte[] bytes = attributes.isRegularFile() ? readAtMost(file, where) : readWaiting(file, where);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(where, "config file not found");
        } catch (AccessDeniedException e) {
            throw new ConfigException(where, "config file is not readable (permission denied)");
        } catch (CharacterCodingException e) {
            throw new ConfigException(where, "config file is not valid UTF-8");
        } catch (IOException e) {
            throw new ConfigException(where, "cannot read config file: " + UserText.escape(String.valueOf(e.getMessage()), 200));
        }
    }

    private static byte[] readAtMost(Path file, Location where) throws IOException, ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ConfigException(where, "config file is over the limit of " + MAX_BYTES + " bytes (1 MiB)");
            }
            return bytes;
        }
    }

    /** A pipe, FIFO or device: opening and reading may wait for a writer, for as long as it takes. */
    private static byte[] readWaiting(Path file, Location where) throws IOException, ConfigException {
        Thread notice = new Thread(() -> System.err.println("carnival: " + where
                + ": stopped by a signal while waiting for the config file to be written and closed"
                + " (it is not a regular file)"));
        Runtime.getRuntime().addShutdownHook(notice);
        try {
            return readAtMost(file, where);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(notice);
            } catch (IllegalStateException shuttingDown) {
                // The notice is running or has run.
            }
        }
    }
}
