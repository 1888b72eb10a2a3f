package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs real processes against the jlink image under test (system property {@code carnival.home},
 * set by the pom to carnival-dist/target/carnival). Output goes to files, never to pipes, so a
 * chatty child can never block; every wait has a deadline, {@link #DEADLINE} unless a test says less.
 */
final class ImageHarness {
    /** {@link Await#DEADLINE}: every wait of the end-to-end tests has this one deadline. */
    static final Duration DEADLINE = Await.DEADLINE;

    /**
     * Tag of the behaviour suites that the failsafe execution {@code jdk-fallback} runs a second
     * time, on the JDK Process API fallback (CARNIVAL_PROCESS_CONTROL=jdk).
     */
    static final String JDK_FALLBACK = "jdk-fallback";

    /** The child is PID 1 of a new PID namespace, with a /proc that shows that namespace. */
    static final List<String> NEW_PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--mount-proc");

    /**
     * Removed from the environment every started process inherits. JVM options would reach the
     * image's java through the launcher, and a config, log level or plugin path of the developer's
     * would change what carnival runs. CARNIVAL_PROCESS_CONTROL is deliberately not here: the
     * failsafe jdk-fallback execution sets it in our environment so that it reaches the image.
     */
    private static final List<String> NOT_INHERITED = List.of(
            "JAVA_OPTS", "CARNIVAL_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "CARNIVAL_CONFIG_TOML", "CARNIVAL_CONFIG", "CARNIVAL_LOG_LEVEL", "CARNIVAL_PLUGIN_PATH",
            "CARNIVAL_TOML_READER");

    private ImageHarness() {}

    /** The image under test. */
    static Path home() {
        String home = System.getProperty("carnival.home");
        if (home == null || home.isBlank()) {
            fail("system property carnival.home is not set (run through mvn verify)");
        }
        Path path = Paths.get(home).toAbsolutePath().normalize();
        if (!Files.isExecutable(path.resolve("bin/carnival"))) {
            fail("no image at " + path + ": run mvn package first");
        }
        return path;
    }

    static Path launcher() {
        return home().resolve("bin/carnival");
    }

    private static Path sharedHome;

    /**
     * The image copied into a fresh directory that every user can reach, for a test that runs
     * carnival as another user (setpriv): the checkout may live below a directory only its owner
     * may enter (a clone in {@code mktemp -d}, mode 0700), where such a user could not even exec
     * bin/carnival. One copy per test JVM, removed when it exits.
     */
    static synchronized Path homeForEveryone() throws IOException {
        if (sharedHome == null) {
            Path parent = Files.createTempDirectory("carnival-image");
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path up = parent.getParent(); up != null; up = up.getParent()) {
                if (!Files.getPosixFilePermissions(up).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    fail(up + " is not searchable by other users: set java.io.tmpdir to a directory everyone can reach");
                }
            }
            Path copy = parent.resolve("carnival");
            copyTree(home(), copy);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(parent)));
            sharedHome = copy;
        }
        return sharedHome;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + root + ": " + e);
        }
    }

    static Path java() {
        return home().resolve("bin/java");
    }

    /** True in the failsafe jdk-fallback execution, whose CARNIVAL_PROCESS_CONTROL=jdk every started process inherits. */
    static boolean jdkProcessControl() {
        return "jdk".equals(System.getenv("CARNIVAL_PROCESS_CONTROL"));
    }

    /**
     * Skips the test unless {@link #NEW_PID_NAMESPACE} with {@code options} works here: it needs
     * root (or user namespaces), which a developer's machine or a CI container may not grant.
     */
    static void assumePidNamespaces(String... options) throws IOException, InterruptedException {
        Result probe = run(Spec.inherit(Paths.get(System.getProperty("java.io.tmpdir"))),
                command(NEW_PID_NAMESPACE, List.of(options), "true"));
        assumeTrue(probe.exit() == 0, () -> "cannot create a PID namespace here (needs root): " + probe);
    }

    /** What a finished process left behind. */
    record Result(int exit, String out, String err) {
        String both() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A started process whose output is collected in files, which close() deletes. */
    static final class Running implements AutoCloseable {
        final Process process;
        private final Path out;
        private final Path err;

        private Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        Result await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                fail("process " + process.pid() + " did not exit within " + timeout + "\n" + collect(-1));
            }
            return collect(process.exitValue());
        }

        String out() {
            return Configs.read(out);
        }

        String err() {
            return Configs.read(err);
        }

        /** The file stdout goes to. */
        Path outPath() {
            return out;
        }

        private Result collect(int exit) {
            return new Result(exit, out(), err());
        }

        /** Kills the process and whatever it started (a test may end early), then drops the output. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            try {
                process.getInputStream().close(); // an unread pipe, if any
                process.getErrorStream().close();
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
                Files.deleteIfExists(out.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Options for a run: working directory and variables added to our environment. */
    record Spec(Path cwd, Map<String, String> env) {
        static Spec inherit(Path cwd) {
            return new Spec(cwd, Map.of());
        }

        static Spec with(Path cwd, Map<String, String> env) {
            return new Spec(cwd, env);
        }
    }

    /** A stream that goes to a pipe nobody reads (a stuck log reader) instead of a file. */
    enum Unread { STDOUT, STDERR }

    static Running start(Spec spec, List<String> command) throws IOException {
        return start(spec, command, null);
    }

    /** Starts {@code command} with {@code unread} (unless null) on a pipe that is never read. */
    static Running start(Spec spec, List<String> command, Unread unread) throws IOException {
        // Not in cwd: that may be the image itself, which a test must never change.
        Path logs = Files.createTempDirectory("carnival-it-out");
        Path out = logs.resolve("stdout");
        Path err = logs.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(spec.cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (unread == Unread.STDOUT) {
            Files.createFile(out); // stays empty
            pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        } else if (unread == Unread.STDERR) {
            Files.createFile(err);
            pb.redirectError(ProcessBuilder.Redirect.PIPE);
        }
        NOT_INHERITED.forEach(pb.environment()::remove);
        pb.environment().putAll(spec.env());
        return new Running(pb.start(), out, err);
    }

    static Result run(Spec spec, List<String> command) throws IOException, InterruptedException {
        try (Running running = start(spec, command)) {
            return running.await(DEADLINE);
        }
    }

    static Result run(Spec spec, String... command) throws IOException, InterruptedException {
        return run(spec, List.of(command));
    }

    /** Copies a directory tree, keeping symlinks and file modes (bin/java must stay executable). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** A command line from paths, strings and lists of them (a list stands for its elements). */
    static List<String> command(Object... parts) {
        List<String> list = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Collection<?> many) {
                many.forEach(p -> list.add(p.toString()));
            } else {
                list.add(part.toString());
            }
        }
        return list;
    }
}
