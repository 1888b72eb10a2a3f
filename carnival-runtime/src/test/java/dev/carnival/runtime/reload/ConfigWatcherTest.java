package dev.carnival.runtime.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(100);
    @TempDir
    Path dir;

    private final LinkedBlockingQueue<String> changes = new LinkedBlockingQueue<>();

    private static void write(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aRewriteWithNewBytesIsOneChangeAndTheSameBytesNone() throws Exception {
        Path config = dir.resolve("carnival.toml");
        Path env = dir.resolve("app.env");
        write(config, "a");
        write(env, "A=1\n");
        try (ConfigWatcher w = ConfigWatcher.start(() -> List.of(config, env), DEBOUNCE, () -> changes.add("x"))) {
            write(config, "a"); // same bytes
            Files.writeString(dir.resolve("unrelated"), "zzz");
            assertNull(changes.poll(1, TimeUnit.SECONDS), "nothing watched changed");
            write(env, "A=2\n");
            assertNotNull(changes.poll(10, TimeUnit.SECONDS), "the env file changed");
            Files.writeString(config, "b"); // in place, not renamed
            assertNotNull(changes.poll(10, TimeUnit.SECONDS), "the config changed in place");
            assertNull(changes.poll(500, TimeUnit.MILLISECONDS), "one settled change is one call");
        }
    }

    @Test
    void aConfigMapStyleSymlinkSwapIsAChange() throws Exception {
        // kubelet: carnival.toml -> ..data/carnival.toml, ..data -> ..v1; an update makes ..v2,
        // points ..data_tmp at it and renames ..data_tmp over ..data.
        Path v1 = Files.createDirectory(dir.resolve("..v1"));
        Files.writeString(v1.resolve("carnival.toml"), "one");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
        Path config = Files.createSymbolicLink(dir.resolve("carnival.toml"), Path.of("..data/carnival.toml"));
        try (ConfigWatcher w = ConfigWatcher.start(() -> List.of(config), DEBOUNCE, () -> changes.add("x"))) {
            Path v2 = Files.createDirectory(dir.resolve("..v2"));
            Files.writeString(v2.resolve("carnival.toml"), "two");
            Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
            Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            assertNotNull(changes.poll(10, TimeUnit.SECONDS), "the swap changed what carnival.toml reads");
            assertEquals("two", Files.readString(config));
        }
    }

    @Test
    void aFileThatDisappearsIsAChange() throws Exception {
        Path config = dir.resolve("carnival.toml");
        write(config, "a");
        try (ConfigWatcher w = ConfigWatcher.start(() -> List.of(config), DEBOUNCE, () -> changes.add("x"))) {
            Files.delete(config);
            assertNotNull(changes.poll(10, TimeUnit.SECONDS));
        }
    }
}
