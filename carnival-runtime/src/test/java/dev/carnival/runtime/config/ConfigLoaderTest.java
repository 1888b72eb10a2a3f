package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.config.Location;
import dev.carnival.plugins.toml.TomlConfigSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String SERVICE = "[[service]]\nname = \"web\"\ncommand = \"true\"\n";

    /** A second format, so picking has a choice to make; it is never asked to parse here. */
    private static final ConfigSource YAML = new ConfigSource() {
        @Override
        public String format() {
            return "yaml";
        }

        @Override
        public List<String> extensions() {
            return List.of("yaml", "yml");
        }

        @Override
        public ConfigNode.Table parse(String text, String origin) {
            throw new AssertionError("yaml source must not be used");
        }
    };

    private final TomlConfigSource toml = new TomlConfigSource();
    private final ConfigLoader loader = new ConfigLoader(Map.of("toml", toml, "yaml", YAML),
            new ConfigBinder(new Interpolator(Map.of())));

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private ConfigException loadFails(Path file, Optional<String> format) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, format));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void picksTheSourceByExtensionIgnoringCase() throws ConfigException {
        assertSame(toml, loader.pick(Path.of("c.toml"), Optional.empty()));
        assertSame(toml, loader.pick(Path.of("/etc/x/C.TOML"), Optional.empty()));
        assertSame(YAML, loader.pick(Path.of("c.yml"), Optional.empty()));
        assertSame(YAML, loader.pick(Path.of("c.Yaml"), Optional.empty()));
        assertSame(toml, loader.pick(Path.of("archive.yaml.toml"), Optional.empty()));
    }

    @Test
    void loadsAndBindsAFile() throws IOException, ConfigException {
        Path file = write("carnival.TOML", SERVICE);
        BoundConfig b = loader.load(file, Optional.empty());
        assertEquals("web", b.config().services().getFirst().name());
        assertEquals(new Location(file.toString(), 2, 1), b.sources().at(SourceMap.service(0, "name")));
    }

    @Test
    void formatOverridesTheExtension() throws IOException, ConfigException {
        Path file = write("carnival.conf", SERVICE);
        assertEquals("web", loader.load(file, Optional.of("toml")).config().services().getFirst().name());
        assertSame(toml, loader.pick(Path.of("c.yaml"), Optional.of("TOML")));
    }

    @Test
    void unknownFormatListsKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.pick(Path.of("c.toml"), Optional.of("ini")));
        assertEquals("c.toml: unknown config format 'ini' (known formats: toml, yaml)", e.getMessage());
    }

    @Test
    void unknownExtensionListsFormats() {
        ConfigException e = loadFails(dir.resolve("c.ini"), Optional.empty());
        assertEquals(Location.of(dir.resolve("c.ini").toString()), e.location());
        assertEquals("cannot tell the config format from extension '.ini' (known formats: toml, yaml; use --format)",
                e.problem());
    }

    @Test
    void noExtension() {
        ConfigException e = loadFails(dir.resolve("carnival"), Optional.empty());
        assertEquals("cannot tell the config format from a file name without extension "
                + "(known formats: toml, yaml; use --format)", e.problem());
    }

    @Test
    void noSourcesAtAll() {
        ConfigLoader empty = new ConfigLoader(Map.of(), new ConfigBinder(new Interpolator(Map.of())));
        ConfigException e = assertThrows(ConfigException.class, () -> empty.pick(Path.of("c.toml"), Optional.empty()));
        assertEquals("cannot tell the config format from extension '.toml' "
                + "(known formats: none: no config source plugin found; use --format)", e.problem());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("missing.toml");
        ConfigException e = loadFails(file, Optional.empty());
        assertEquals(file + ": config file not found", e.getMessage());
    }

    @Test
    void directory() throws IOException {
        Path d = Files.createDirectory(dir.resolve("conf.toml"));
        ConfigException e = loadFails(d, Optional.empty());
        assertEquals(d + ": config file is a directory", e.getMessage());
    }

    @Test
    void fileOverOneMebibyte() throws IOException {
        Path file = dir.resolve("big.toml");
        byte[] bytes = new byte[(int) ConfigLoader.MAX_BYTES + 1];
        java.util.Arrays.fill(bytes, (byte) '\n');
        Files.write(file, bytes);
        ConfigException e = loadFails(file, Optional.empty());
        assertEquals(file + ": config file is 1048577 bytes; the limit is 1048576 (1 MiB)", e.getMessage());
    }

    @Test
    void fileOfExactlyOneMebibyteIsRead() throws IOException, ConfigException {
        Path file = dir.resolve("exact.toml");
        byte[] bytes = new byte[(int) ConfigLoader.MAX_BYTES];
        java.util.Arrays.fill(bytes, (byte) '\n');
        byte[] head = SERVICE.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, bytes, 0, head.length);
        Files.write(file, bytes);
        assertEquals(1, loader.load(file, Optional.empty()).config().services().size());
    }

    @Test
    void invalidUtf8() throws IOException {
        Path file = dir.resolve("latin1.toml");
        Files.write(file, "name = \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));
        ConfigException e = loadFails(file, Optional.empty());
        assertEquals(file + ": config file is not valid UTF-8", e.getMessage());
    }

    @Test
    void syntaxErrorsNameTheFile() throws IOException {
        Path file = write("bad.toml", "[[service]\n");
        ConfigException e = loadFails(file, Optional.empty());
        assertEquals(file.toString(), e.location().origin());
        assertEquals(1, e.location().line());
    }

    @Test
    void bindErrorsNameTheFile() throws IOException {
        Path file = write("c.toml", SERVICE + "replica = 2\n");
        ConfigException e = loadFails(file, Optional.empty());
        assertEquals(new Location(file.toString(), 4, 1), e.location());
    }

    /** Issue 15 #3: the limit holds for what is read, whatever size the file claims (a device claims 0). */
    @Test
    void devicesAndPipesStopAtTheLimit() {
        for (String device : List.of("/dev/zero", "/dev/urandom")) {
            ConfigException e = loadFails(Path.of(device), Optional.of("toml"));
            assertEquals(device + ": config file is over the limit of 1048576 bytes (1 MiB)", e.getMessage());
        }
    }
}
