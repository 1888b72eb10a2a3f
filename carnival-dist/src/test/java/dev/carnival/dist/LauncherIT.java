package dev.carnival.dist;

import static dev.carnival.dist.ImageHarness.DEADLINE;
import static dev.carnival.dist.ImageHarness.NEW_PID_NAMESPACE;
import static dev.carnival.dist.ImageHarness.assumePidNamespaces;
import static dev.carnival.dist.ImageHarness.command;
import static dev.carnival.dist.ImageHarness.home;
import static dev.carnival.dist.ImageHarness.launcher;
import static dev.carnival.dist.ImageHarness.run;
import static dev.carnival.dist.ImageHarness.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.dist.ImageHarness.Result;
import dev.carnival.dist.ImageHarness.Running;
import dev.carnival.dist.ImageHarness.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/carnival: finds its image from anywhere, exec's the image's java (so the supervisor is the
 * started process and PID 1 in a container), passes arguments, exit codes and extra JVM flags
 * through, and needs nothing from the environment.
 */
class LauncherIT {

    @TempDir
    Path tmp;

    private String versionOutput() throws Exception {
        Result direct = run(Spec.inherit(home()), launcher().toString(), "--version");
        assertEquals(0, direct.exit(), direct::toString);
        assertFalse(direct.out().isBlank(), direct::toString);
        return direct.out();
    }

    @Test
    void runsThroughSymlinksFromAnotherDirectory() throws Exception {
        String expected = versionOutput();
        Path bin = Files.createDirectories(tmp.resolve("usr/local/bin"));
        Path direct = Files.createSymbolicLink(bin.resolve("carnival"), launcher());
        // a relative link to the link: two hops, the second relative to its own directory
        Path other = Files.createDirectories(tmp.resolve("opt/tools"));
        Path chained = Files.createSymbolicLink(other.resolve("carnival-latest"),
                other.relativize(direct));
        Path elsewhere = Files.createDirectories(tmp.resolve("work"));

        for (Path link : new Path[] {direct, chained}) {
            Result result = run(Spec.inherit(elsewhere), link.toString(), "--version");
            assertEquals(0, result.exit(), () -> link + ": " + result);
            assertEquals(expected, result.out(), link::toString);
        }
        // found on PATH, called by its bare name (as in ENTRYPOINT ["carnival"])
        Result onPath = run(Spec.with(elsewhere, Map.of("PATH", bin + ":/usr/bin:/bin")),
                "/bin/sh", "-c", "carnival --version");
        assertEquals(0, onPath.exit(), onPath::toString);
        assertEquals(expected, onPath.out());
        // a symlinked image directory, and the launcher run by sh with a relative path
        Path imageLink = Files.createSymbolicLink(tmp.resolve("carnival-home"), home());
        Result viaDir = run(Spec.inherit(tmp), "/bin/sh", "carnival-home/bin/carnival", "--version");
        assertEquals(0, viaDir.exit(), viaDir::toString);
        assertEquals(expected, viaDir.out(), imageLink::toString);
    }

    @Test
    void extraJvmFlagsAreAppendedAndTheJvmExitCodePassesThrough() throws Exception {
        for (String variable : new String[] {"JAVA_OPTS", "CARNIVAL_JAVA_OPTS"}) {
            Result result = run(Spec.with(tmp, Map.of(variable, "-XX:+NoSuchCarnivalFlag")),
                    launcher().toString(), "--version");
            assertEquals(1, result.exit(), result::toString);
            assertTrue(result.err().contains("NoSuchCarnivalFlag"), result::toString);
        }
        // later flags win: CARNIVAL_JAVA_OPTS can override a default the launcher sets
        Result heap = run(Spec.with(tmp, Map.of("CARNIVAL_JAVA_OPTS", "-Xmx100m -XX:+PrintFlagsFinal")),
                launcher().toString(), "--version");
        assertEquals(0, heap.exit(), heap::toString);
        String maxHeap = heap.out().lines().filter(l -> l.matches("\\s*size_t MaxHeapSize\\s.*"))
                .findFirst().orElseThrow(() -> new AssertionError(heap));
        assertTrue(maxHeap.contains(" " + (100L << 20) + " "), maxHeap);
        // and the opts are not globbed: a '*' reaches the JVM as it is
        Files.writeString(tmp.resolve("-XX:+NoSuchFlagFromAGlob"), "");
        Result glob = run(Spec.with(tmp, Map.of("JAVA_OPTS", "-XX:+NoSuchFlagFrom*")),
                launcher().toString(), "--version");
        assertEquals(1, glob.exit(), glob::toString);
        assertTrue(glob.err().contains("NoSuchFlagFrom*"), glob::toString);
    }

    @Test
    void worksWithAnEmptyEnvironmentAsPid1InANewPidNamespace() throws Exception {
        assumePidNamespaces();
        String expected = versionOutput();

        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Result version = run(Spec.inherit(elsewhere), command(NEW_PID_NAMESPACE, "env", "-i", launcher(), "--version"));
        assertEquals(0, version.exit(), version::toString);
        assertEquals(expected, version.out());

        // The only service reports who PID 1 is and what environment it got.
        Path report = tmp.resolve("report");
        Configs.write(elsewhere, "pid1.toml", """
                [[service]]
                name = "probe"
                command = "/bin/sh"
                args = ["-c", "readlink /proc/1/exe > %s; echo \\"${JAVA_HOME-unset} $$\\" >> %s"]
                """.formatted(report, report));
        Result result = run(Spec.inherit(elsewhere),
                command(NEW_PID_NAMESPACE, "env", "-i", launcher(), "-c", "pid1.toml"));
        assertEquals(0, result.exit(), result::toString);
        String[] lines = Configs.read(report).strip().split("\n");
        assertEquals(home().resolve("bin/java").toRealPath().toString(), lines[0],
                "PID 1 must be the image's java, exec'd by the launcher");
        assertTrue(lines[1].startsWith("unset "), lines[1]);
    }

    @Test
    void unknownOptionExitsWith2() throws Exception {
        Result result = run(Spec.inherit(tmp), launcher().toString(), "--no-such-option");
        assertEquals(2, result.exit(), result::toString);
    }

    @Test
    void argumentsPassThroughUntouched() throws Exception {
        // blanks, a glob, a variable and quotes: any re-splitting or expansion breaks the path;
        // a missing config is a usage error whose exit code reaches the caller
        Path dir = Files.createDirectories(tmp.resolve("my configs $HOME"));
        Path config = Configs.write(dir, "one \"true\" * [x].toml", Configs.ONE_TRUE_SERVICE);
        Result ok = run(Spec.inherit(tmp), launcher().toString(), "-c", config.toString());
        assertEquals(0, ok.exit(), ok::toString);

        Result missing = run(Spec.inherit(tmp), launcher().toString(), "-c", dir.resolve("missing.toml").toString());
        assertEquals(2, missing.exit(), missing::toString);
    }

    @Test
    void theStartedProcessIsTheSupervisorAndSigtermExitsZero() throws Exception {
        Path marker = tmp.resolve("started");
        Path config = Configs.write(tmp, "sleep.toml", """
                [[service]]
                name = "sleeper"
                command = "/bin/sh"
                args = ["-c", "echo $$ > %s; exec sleep 1000"]
                """.formatted(marker));
        try (Running running = start(Spec.inherit(tmp), command(launcher(), "-c", config))) {
            long service = Configs.awaitPid(marker);
            long pid = running.process.pid();
            Path exe = Path.of("/proc", Long.toString(pid), "exe");
            assertEquals(home().resolve("bin/java").toRealPath(), exe.toRealPath(),
                    "the launcher must exec the image's java, not wait for it");

            running.process.destroy(); // SIGTERM
            Result result = running.await(DEADLINE);
            assertEquals(0, result.exit(), result::toString);
            // not ProcessHandle.isAlive: a zombie nobody reaped would count as alive
            Await.until("the service to be stopped", DEADLINE, () -> !Signals.alive(service));
        }
    }
}
