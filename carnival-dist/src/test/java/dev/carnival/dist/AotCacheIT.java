package dev.carnival.dist;

import static dev.carnival.dist.ImageHarness.command;
import static dev.carnival.dist.ImageHarness.copyTree;
import static dev.carnival.dist.ImageHarness.home;
import static dev.carnival.dist.ImageHarness.launcher;
import static dev.carnival.dist.ImageHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.dist.ImageHarness.Result;
import dev.carnival.dist.ImageHarness.Spec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * lib/carnival.aot: made at build time, used by the launcher, and never a reason to fail or to
 * print anything when it is damaged, missing or from another configuration.
 */
class AotCacheIT {

    @TempDir
    Path tmp;

    /** -XX:AOTMode=on turns "use the cache if you can" into "fail unless it is used". */
    @Test
    void theLauncherUsesTheShippedCache() throws Exception {
        Result result = run(Spec.with(tmp, Map.of("CARNIVAL_JAVA_OPTS", "-XX:AOTMode=on -Xlog:aot=info")),
                launcher().toString(), "--version");
        assertEquals(0, result.exit(), result::toString);
        assertTrue(result.out().contains("Using AOT-linked classes: true"), result::toString);
        assertTrue(result.out().contains("full module graph: enabled"), result::toString);
    }

    enum Damage { TRUNCATED, GARBAGE, EMPTY, FLIPPED_BYTES, MISSING, OTHER_FLAGS }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedCacheStillStartsAndPrintsNothingAboutIt(Damage damage) throws Exception {
        Path image = tmp.resolve("carnival");
        copyTree(home(), image);
        Path cache = image.resolve("lib/carnival.aot");
        damage(damage, image, cache);

        List<String> args = List.of("-c", Configs.write(tmp, "one-true.toml", Configs.ONE_TRUE_SERVICE).toString());
        Result intact = run(Spec.inherit(tmp), launch(home(), args));
        Result damaged = run(Spec.inherit(tmp), launch(image, args));
        assertEquals(0, intact.exit(), intact::toString);
        assertEquals(intact.exit(), damaged.exit(), damaged::toString);
        // same output, up to pids, times and other numbers the supervisor may log
        assertEquals(normalized(intact.out()), normalized(damaged.out()), damaged::toString);
        assertEquals(normalized(intact.err()), normalized(damaged.err()), damaged::toString);
        String output = damaged.both().toLowerCase(Locale.ROOT);
        String baseline = intact.both().toLowerCase(Locale.ROOT);
        for (String word : List.of("aot", "cache", "shared", "archive", "cds", "warning", "error")) {
            assertFalse(output.contains(word) && !baseline.contains(word), () -> "'" + word + "' in " + damaged);
        }
    }

    private static String normalized(String text) {
        return text.replaceAll("\\d+", "N");
    }

    private static List<String> launch(Path image, List<String> args) {
        return command(image.resolve("bin/carnival"), args);
    }

    private void damage(Damage damage, Path image, Path cache) throws Exception {
        long size = Files.size(cache);
        switch (damage) {
            case TRUNCATED -> {
                try (RandomAccessFile file = new RandomAccessFile(cache.toFile(), "rw")) {
                    file.setLength(size / 2);
                }
            }
            case GARBAGE -> {
                byte[] noise = new byte[(int) Math.min(size, 1 << 20)];
                new Random(42).nextBytes(noise);
                Files.write(cache, noise);
            }
            case EMPTY -> Files.write(cache, new byte[0]);
            case FLIPPED_BYTES -> flipHeader(cache);
            case MISSING -> Files.delete(cache);
            case OTHER_FLAGS -> {
                // a valid cache, but trained with other module options than the launcher uses
                Files.delete(cache);
                Result training = run(Spec.inherit(tmp), image.resolve("bin/java").toString(),
                        "-XX:AOTCacheOutput=" + cache, "--add-modules", "jdk.unsupported",
                        "-m", ImageLayoutIT.MAIN, "--version");
                assertEquals(0, training.exit(), training::toString);
                assertTrue(Files.size(cache) > 0, "no cache written");
            }
        }
    }

    /** Damages the header (magic, version, CRC-covered fields) but keeps the size. */
    private static void flipHeader(Path cache) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(cache.toFile(), "rw")) {
            for (long at = 0; at < 512; at += 7) {
                file.seek(at);
                int b = file.read();
                file.seek(at);
                file.write(~b);
            }
        }
    }
}
