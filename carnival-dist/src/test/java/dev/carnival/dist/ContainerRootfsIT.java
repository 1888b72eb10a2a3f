package dev.carnival.dist;

import static dev.carnival.dist.ImageHarness.DEADLINE;
import static dev.carnival.dist.ImageHarness.NEW_PID_NAMESPACE;
import static dev.carnival.dist.ImageHarness.assumePidNamespaces;
import static dev.carnival.dist.ImageHarness.command;
import static dev.carnival.dist.ImageHarness.copyTree;
import static dev.carnival.dist.ImageHarness.home;
import static dev.carnival.dist.ImageHarness.run;
import static dev.carnival.dist.ImageHarness.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.dist.ImageHarness.Result;
import dev.carnival.dist.ImageHarness.Running;
import dev.carnival.dist.ImageHarness.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What carnival-dist/Dockerfile builds, without a Docker engine: a root file system holding
 * only glibc, a POSIX sh, sleep and the image at /opt/carnival, an environment holding only
 * Docker's default PATH and CARNIVAL_CONFIG_TOML, and the launcher as PID 1 of a new PID
 * namespace. No JDK anywhere.
 */
class ContainerRootfsIT {

    @TempDir
    Path tmp;

    Path root;

    /** What Docker sets when the image does not. */
    static final String DOCKER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @BeforeEach
    void buildRoot() throws Exception {
        assumePidNamespaces("--root=/");

        root = Files.createDirectories(tmp.resolve("rootfs"));
        for (String dir : List.of("opt", "proc", "dev", "tmp", "etc/carnival")) {
            Files.createDirectories(root.resolve(dir));
        }
        Result dev = run(Spec.inherit(tmp), "mknod", "-m", "666", root.resolve("dev/null").toString(), "c", "1", "3");
        assertEquals(0, dev.exit(), dev::toString);
        copyTree(home(), root.resolve("opt/carnival"));
        copyFollowingLinks(Path.of("/bin/sh"), "bin/sh");
        copyFollowingLinks(Path.of("/bin/sleep"), "bin/sleep");

        // the shared libraries the JVM, sh and sleep need: exactly what ldd names, nothing more
        TreeSet<String> libraries = new TreeSet<>();
        List<String> binaries = new ArrayList<>(List.of("/bin/sh", "/bin/sleep",
                home().resolve("bin/java").toString()));
        try (var files = Files.walk(home().resolve("lib"))) {
            files.filter(p -> p.toString().endsWith(".so")).forEach(p -> binaries.add(p.toString()));
        }
        for (String binary : binaries) {
            Result ldd = run(Spec.inherit(tmp), "ldd", binary);
            for (String token : ldd.out().split("\\s+")) {
                if (token.startsWith("/") && !token.startsWith(home().toString()) && Files.exists(Path.of(token))) {
                    libraries.add(token);
                }
            }
        }
        for (String library : libraries) {
            copyFollowingLinks(Path.of(library), library.substring(1));
        }
        assertFalse(Files.exists(root.resolve("usr/lib/jvm")));
    }

    private void copyFollowingLinks(Path from, String to) throws IOException {
        Path target = root.resolve(to);
        Files.createDirectories(target.getParent());
        Files.copy(from, target);
    }

    private List<String> container(String... extraEnv) {
        // env runs outside (the root has none), unshare then enters the root with that environment
        return command("env", "-i", "PATH=" + DOCKER_PATH, "CARNIVAL_CONFIG_TOML=/etc/carnival/carnival.toml",
                List.of(extraEnv), NEW_PID_NAMESPACE, "--root=" + root, "--wd=/", "/opt/carnival/bin/carnival");
    }

    @Test
    void runsTheConfigAsPid1WithItsOwnCache() throws Exception {
        Configs.write(root.resolve("etc/carnival"), "carnival.toml", """
                [[service]]
                name = "probe"
                command = "/bin/sh"
                args = ["-c", "echo \\"$PPID ${JAVA_HOME-unset} $CARNIVAL_SERVICE_NAME\\" > /tmp/report"]
                """);
        // AOTMode=on: the JVM refuses to start unless the cache is used, after the image moved
        Result result = run(Spec.inherit(tmp), container("CARNIVAL_JAVA_OPTS=-XX:AOTMode=on"));
        assertEquals(0, result.exit(), result::toString);
        assertEquals("1 unset probe", Configs.read(root.resolve("tmp/report")).strip(),
                "the service's parent must be PID 1, the supervisor");
    }

    /** The Dockerfile's own example config, entrypoint and environment, and docker stop. */
    @Test
    void theDockerfileExampleRunsAndStopsGracefullyOnSigterm() throws Exception {
        Path dist = Path.of(System.getProperty("carnival.dist.dir", "."));
        String dockerfile = Files.readString(dist.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("ENTRYPOINT [\"/opt/carnival/bin/carnival\"]"), dockerfile);
        assertTrue(dockerfile.contains("ENV CARNIVAL_CONFIG_TOML=/etc/carnival/carnival.toml"), dockerfile);
        assertTrue(dockerfile.contains("COPY src/docker/carnival.toml /etc/carnival/carnival.toml"), dockerfile);
        Files.copy(dist.resolve("src/docker/carnival.toml"), root.resolve("etc/carnival/carnival.toml"));

        try (Running running = start(Spec.inherit(tmp), container())) {
            Await.until("both replicas to report", DEADLINE,
                    () -> running.out().contains("ticker[0] alive") && running.out().contains("ticker[1] alive"));
            ProcessHandle pid1 = running.process.children().findFirst()
                    .orElseThrow(() -> new AssertionError("unshare has no child"));
            assertEquals(root.resolve("opt/carnival/bin/java").toRealPath(),
                    Path.of("/proc", Long.toString(pid1.pid()), "exe").toRealPath());
            pid1.destroy(); // SIGTERM, as docker stop sends it
            Result result = running.await(DEADLINE);
            assertEquals(0, result.exit(), result::toString);
        }
    }
}
