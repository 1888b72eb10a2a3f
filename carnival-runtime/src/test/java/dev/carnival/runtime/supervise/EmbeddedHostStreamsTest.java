package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded supervisor with captured output leaves its host's stdout and stderr (the same pipes,
 * still writable) and signal dispositions as it found them: a later supervisor's inherit-mode
 * child, in the same JVM, writes to them and its output arrives. The host is a JVM of its own
 * whose stdout and stderr are pipes this test reads, so that nothing depends on the test runner's
 * own streams (surefire stops reading a fork's stderr at its first byte that is not UTF-8).
 */
class EmbeddedHostStreamsTest {
    @TempDir
    Path tmp;

    @Test
    void capturedThenInheritInOneJvmTheInheritChildsOutputArrives() throws Exception {
        Path report = tmp.resolve("report");
        Process host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), EmbeddedHostMain.class.getName(), report.toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        CompletableFuture<byte[]> out = drain(host.getInputStream());
        CompletableFuture<byte[]> err = drain(host.getErrorStream());
        if (!host.waitFor(120, TimeUnit.SECONDS)) {
            host.destroyForcibly();
        }
        String stdout = new String(out.get(30, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
        String stderr = new String(err.get(30, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
        String all = "--- stdout\n" + stdout + "--- stderr\n" + stderr;
        assertEquals(0, host.waitFor(), all);
        List<String> lines = Files.readAllLines(report);
        assertEquals(4, lines.stream().filter(l -> l.startsWith("exited ")).count(), lines + "\n" + all);
        assertTrue(lines.stream().filter(l -> l.startsWith("exited ")).allMatch(l -> l.endsWith(" Exited[code=0]")),
                lines + "\n" + all);
        String before = lines.stream().filter(l -> l.startsWith("before ")).findFirst().orElseThrow().substring(7);
        String after = lines.stream().filter(l -> l.startsWith("after ")).findFirst().orElseThrow().substring(6);
        assertEquals(before, after, "fd 1 and 2 and the signal masks");
        assertTrue(stderr.contains("captured-err\u00ff\n"), all);
        assertTrue(stdout.contains("captured-out\n") && stdout.contains("prefixed-out\n"), all);
        assertTrue(stderr.indexOf("inherit-err\ninherit-err-again\n") > stderr.indexOf("captured-err"), all);
        assertTrue(stdout.contains("inherit-out\n"), all);
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (in) {
                bytes.complete(in.readAllBytes());
            } catch (Exception e) {
                bytes.completeExceptionally(e);
            }
        });
        return bytes;
    }
}
