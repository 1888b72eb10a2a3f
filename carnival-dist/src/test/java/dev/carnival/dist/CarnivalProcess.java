package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.carnival.dist.ImageHarness.Running;
import dev.carnival.dist.ImageHarness.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The image's {@code carnival} command, started through {@link ImageHarness}, as the behaviour suites drive it. */
final class CarnivalProcess implements AutoCloseable {
    /** The name {@link #withConfig} writes the config under, as error messages show it. */
    static final String CONFIG = "c.toml";

    private final Running running;

    private CarnivalProcess(Running running) {
        this.running = running;
    }

    /** Starts carnival in {@code dir} with extra environment variables. */
    static CarnivalProcess start(Path dir, Map<String, String> env, String... args) {
        return startWrapped(List.of(), dir, env, args);
    }

    /** Starts carnival behind {@code wrapper} (e.g. {@code unshare --pid --fork}), which must exec or wait for it. */
    static CarnivalProcess startWrapped(List<String> wrapper, Path dir, Map<String, String> env, String... args) {
        return startImage(ImageHarness.home(), wrapper, dir, env, args);
    }

    /** Starts the carnival of the image at {@code home} (e.g. {@link ImageHarness#homeForEveryone()}) behind {@code wrapper}. */
    static CarnivalProcess startImage(Path home, List<String> wrapper, Path dir, Map<String, String> env, String... args) {
        try {
            return new CarnivalProcess(ImageHarness.start(Spec.with(dir, env),
                    ImageHarness.command(wrapper, home.resolve("bin/carnival"), List.of(args))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts carnival in {@code dir} with {@code unread} on a pipe that nobody reads. */
    static CarnivalProcess startUnread(Path dir, ImageHarness.Unread unread, String... args) {
        try {
            return new CarnivalProcess(ImageHarness.start(Spec.with(dir, Map.of()),
                    ImageHarness.command(ImageHarness.launcher(), List.of(args)), unread));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs carnival to completion; its exit code is then {@link #exitCode()}. */
    static CarnivalProcess run(Path dir, String... args) {
        return run(dir, Map.of(), args);
    }

    static CarnivalProcess run(Path dir, Map<String, String> env, String... args) {
        CarnivalProcess c = start(dir, env, args);
        c.exitCode();
        return c;
    }

    /**
     * Writes {@code toml} to c.toml in {@code dir} and returns {@code args} followed by {@code -c c.toml},
     * for the starts {@link #startConfig} and {@link #runConfig} do not cover (an environment, a wrapper).
     */
    static String[] withConfig(Path dir, String toml, String... args) {
        Configs.write(dir, CONFIG, toml);
        return Stream.concat(Stream.of(args), Stream.of("-c", CONFIG)).toArray(String[]::new);
    }

    /** Starts carnival on {@code toml}, written to c.toml in {@code dir}, after {@code args}. */
    static CarnivalProcess startConfig(Path dir, String toml, String... args) {
        return start(dir, Map.of(), withConfig(dir, toml, args));
    }

    /** Runs carnival to completion on {@code toml}, written to c.toml in {@code dir}, after {@code args}. */
    static CarnivalProcess runConfig(Path dir, String toml, String... args) {
        return run(dir, Map.of(), withConfig(dir, toml, args));
    }

    long pid() {
        return running.process.pid();
    }

    boolean isAlive() {
        return running.process.isAlive();
    }

    /** Waits for carnival to exit (within {@link ImageHarness#DEADLINE}) and returns its exit code. */
    int exitCode() {
        try {
            if (!running.process.waitFor(ImageHarness.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("carnival did not exit within " + ImageHarness.DEADLINE.toSeconds() + "s; stderr so far:\n" + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        return running.process.exitValue();
    }

    /** Sends a signal (e.g. "TERM") to carnival itself. */
    void signal(String name) {
        Signals.send(name, pid());
    }

    String stdout() {
        return running.out();
    }

    String stderr() {
        return running.err();
    }

    /** How many bytes carnival has written to stdout so far. */
    long stdoutSize() {
        try {
            return Files.size(stdoutPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file carnival's stdout goes to. */
    Path stdoutPath() {
        return running.outPath();
    }

    /** Exactly the bytes carnival wrote to stdout. */
    byte[] stdoutBytes() {
        try {
            return Files.readAllBytes(stdoutPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until carnival's log contains {@code text}. */
    void awaitLog(String text) {
        Await.until(() -> "log line containing '" + text + "'; log so far:\n" + stderr(), () -> stderr().contains(text));
    }

    /** Asserts that the output shows no Java stack trace. */
    void assertNoStackTrace() {
        String all = stdout() + stderr();
        assertTrue(!all.contains("\tat ") && !all.contains("Exception in thread"), "stack trace in output:\n" + all);
    }

    @Override
    public void close() {
        running.close();
    }
}
