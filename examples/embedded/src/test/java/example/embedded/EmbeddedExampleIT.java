package example.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example program as a user would, with 100 worker replicas, and stops it with SIGTERM. */
class EmbeddedExampleIT {
    @TempDir
    Path dir;

    @Test
    void supervisesRestartsReportsStatusAndStopsWithTheHost() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = System.getProperty("example.lib") + File.pathSeparator + System.getProperty("example.jar");
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(java, "--enable-native-access=carnival.runtime", "-p", modulePath,
                "-m", "example.embedded/example.embedded.EmbeddedSupervisor", "100")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!read(out).contains("status: done")) {
                assertTrue(p.isAlive(), () -> "example died: " + read(err));
                if (System.nanoTime() > deadline) {
                    fail("no status snapshot within 60 s:\n" + read(out) + read(err));
                }
                Thread.sleep(20);
            }
            List<String> workers = read(out).lines().filter(l -> l.startsWith("status: worker[")).toList();
            assertEquals(100, workers.size(), read(out));
            List<Long> pids = workers.stream()
                    .peek(l -> assertTrue(l.matches("status: worker\\[\\d+] RUNNING pid=\\d+ restarts=0 last-exit=-"), l))
                    .map(l -> Long.parseLong(l.replaceAll(".* pid=(\\d+) .*", "$1")))
                    .toList();
            assertEquals(100, pids.stream().distinct().count());
            assertTrue(read(out).contains("event: ticker[0] restart 2 in 100 ms"), read(out));
            assertTrue(read(out).lines().anyMatch(l -> l.matches("status: ticker\\[0] \\w+ pid=\\S+ restarts=[2-9]\\d* last-exit=.*")),
                    read(out));

            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "example did not exit on SIGTERM");
            // 143 = the JVM's own SIGTERM exit: the embedded supervisor took over no signal and no exit.
            assertEquals(143, p.exitValue(), read(err));
            assertTrue(read(out).contains("stopped: every supervised process has exited"), read(out));
            for (long pid : pids) {
                assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "worker " + pid + " still running");
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /**
     * What an embedder's program pulls in: the api, the engine, the plugins it chose and SLF4J,
     * and none of the command line's modules (its control socket's JSON, the HTTP endpoint's
     * server and metrics, the signal handlers' jdk.unsupported). The module graph is the one the
     * JVM resolves for the example's main module ({@code --show-module-resolution}), binding
     * services as a real start does.
     */
    @Test
    void anEmbedderGetsTheEngineWithoutTheCommandLine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = System.getProperty("example.lib") + File.pathSeparator + System.getProperty("example.jar");
        Path out = dir.resolve("resolution");
        Process p = new ProcessBuilder(java, "--enable-native-access=carnival.runtime", "-p", modulePath,
                "--show-module-resolution", "--dry-run", "-m", "example.embedded/example.embedded.EmbeddedSupervisor")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java --dry-run did not exit");
        assertEquals(0, p.exitValue(), read(out));
        Set<String> resolved = new TreeSet<>();
        for (String line : read(out).lines().toList()) {
            // "root M uri", "M requires N uri", "M binds N uri"
            String[] words = line.trim().split(" ");
            resolved.add(words.length >= 3 && (words[1].equals("requires") || words[1].equals("binds")) ? words[2] : words[1]);
        }
        for (String needed : List.of("example.embedded", "carnival.api", "carnival.runtime", "carnival.restart.policies",
                "org.slf4j")) {
            assertTrue(resolved.contains(needed), () -> needed + " not resolved: " + resolved);
        }
        for (String module : resolved) {
            assertTrue(!module.equals("carnival.cli") && !module.startsWith("com.fasterxml.jackson")
                            && !module.startsWith("io.prometheus") && !module.equals("jdk.httpserver")
                            && !module.equals("jdk.unsupported"),
                    () -> module + " is in an embedder's module graph: " + resolved);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
