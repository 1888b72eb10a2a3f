package dev.carnival.dist;

import static dev.carnival.dist.ImageHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.dist.ImageHarness.Result;
import dev.carnival.dist.ImageHarness.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball users download: one top directory, exec bits kept, and it runs (with its cache) where it lands. */
class TarballIT {

    @TempDir
    Path tmp;

    static Path tarball() {
        Path tarball = Paths.get(System.getProperty("carnival.tarball", "")).toAbsolutePath();
        assertTrue(Files.isRegularFile(tarball), () -> "no tarball at " + tarball);
        return tarball;
    }

    @Test
    void isNamedForVersionAndArchitecture() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
        assertEquals("carnival-" + System.getProperty("carnival.version") + "-linux-" + arch + ".tar.gz",
                tarball().getFileName().toString());
    }

    @Test
    void holdsOneCarnivalDirectoryWithExecutablesKept() throws Exception {
        Result listing = run(Spec.inherit(tmp), "tar", "-tvzf", tarball().toString());
        assertEquals(0, listing.exit(), listing::toString);
        List<String> lines = listing.out().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.contains(" carnival/")), "one top directory: carnival/");
        for (String executable : List.of("carnival/bin/carnival", "carnival/bin/java", "carnival/lib/jspawnhelper")) {
            String line = lines.stream().filter(l -> l.endsWith(" " + executable)).findFirst()
                    .orElseThrow(() -> new AssertionError(executable + " missing"));
            assertTrue(line.startsWith("-rwxr-xr-x root/root") || line.startsWith("-rwxr-xr-x 0/0"), line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" carnival/lib/carnival.aot")), "AOT cache missing");
    }

    @Test
    void runsWithItsCacheAfterExtractionElsewhere() throws Exception {
        Path opt = Files.createDirectories(tmp.resolve("opt"));
        Result extract = run(Spec.inherit(opt), "tar", "-xzf", tarball().toString());
        assertEquals(0, extract.exit(), extract::toString);
        Path launcher = opt.resolve("carnival/bin/carnival");
        assertTrue(Files.isExecutable(launcher));
        Result result = run(Spec.with(tmp, Map.of("CARNIVAL_JAVA_OPTS", "-XX:AOTMode=on")),
                launcher.toString(), "--version");
        assertEquals(0, result.exit(), result::toString);
    }
}
