package dev.carnival.plugins.toml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every TOML config the project ships takes the fast path, and reads as tomlj reads it. */
class ShippedConfigsTest {
    private static final Path REPOSITORY = Path.of("../..");
    /** The examples and the configs built into the image; more may come, none may go unchecked. */
    private static final List<Path> ROOTS = List.of(REPOSITORY.resolve("examples"), REPOSITORY.resolve("carnival-dist/src"));

    @Test
    void findsTheShippedConfigs() throws IOException {
        List<Path> configs = configs();
        assertTrue(configs.stream().anyMatch(p -> p.endsWith("examples/example.toml")), configs::toString);
        assertTrue(configs.stream().anyMatch(p -> p.endsWith("carnival-dist/src/docker/carnival.toml")), configs::toString);
    }

    @TestFactory
    Stream<DynamicTest> eachTakesTheFastPath() throws IOException {
        return configs().stream().map(file -> DynamicTest.dynamicTest(REPOSITORY.relativize(file).toString(), () -> {
            String text = TomlConfigSource.withoutByteOrderMark(Files.readString(file));
            ConfigNode.Table fast = TomlReader.read(text, file.toString());
            assertNotNull(fast, () -> file + " needs tomlj: keep shipped configs to what the fast path reads");
            assertEquals(Trees.dump(TomljReader.parse(text, file.toString())), Trees.dump(fast));
        }));
    }

    private static List<Path> configs() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".toml") && Files.isRegularFile(p))
                        .filter(p -> !root.relativize(p).toString().contains("target/"))
                        .sorted()
                        .forEach(found::add);
            }
        }
        return found;
    }
}
