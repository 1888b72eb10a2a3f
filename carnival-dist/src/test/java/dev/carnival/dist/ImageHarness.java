package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Runs real processes against the jlink image under test (system property {@code carnival.home},
 * set by the pom to carnival-dist/target/carnival). Output goes to files, never to pipes, so a
 * chatty child can never block; every wait has a deadline.
 */
final class ImageHarness {
    static final Duration DEADLINE = Duration.ofSeconds(60);

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

    static Path java() {
        return home().resolve("bin/java");
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

    /** A started process whose output is collected in files. */
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
            return read(out);
        }

        private Result collect(int exit) {
            return new Result(exit, read(out), read(err));
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Options for a run: working directory and environment (null env = inherit ours). */
    record Spec(Path cwd, Map<String, String> env, boolean clearEnv) {
        static Spec inherit(Path cwd) {
            return new Spec(cwd, Map.of(), false);
        }

        static Spec with(Path cwd, Map<String, String> env) {
            return new Spec(cwd, env, false);
        }

        static Spec empty(Path cwd) {
            return new Spec(cwd, Map.of(), true);
        }
    }

    static Running start(Spec spec, List<String> command) throws IOException {
        Path logs = Files.createTempDirectory("carnival-it-out");
        Path out = logs.resolve("stdout");
        Path err = logs.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(spec.cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (spec.clearEnv()) {
            pb.environment().clear();
        }
        // Never leak the build's JVM options into the image under test.
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("CARNIVAL_JAVA_OPTS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
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

    /** Polls a condition until it holds, failing at the deadline. */
    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        return Configs.read(file);
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

    static List<String> command(Object... parts) {
        List<String> list = new ArrayList<>();
        for (Object part : parts) {
            list.add(part.toString());
        }
        return list;
    }
}
