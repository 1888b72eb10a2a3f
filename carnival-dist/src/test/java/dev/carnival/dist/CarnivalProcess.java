package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real {@code carnival} command, started from the built distribution, with its output in files. */
final class CarnivalProcess implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("carnival.home", "target/carnival"));
    static final Path LAUNCHER = HOME.resolve("bin/carnival");

    private final Process process;
    private final Path out;
    private final Path err;

    private CarnivalProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts carnival in {@code dir} with extra environment variables (null value: unset). */
    static CarnivalProcess start(Path dir, Map<String, String> env, String... args) {
        return startWrapped(List.of(), dir, env, args);
    }

    /** Starts carnival behind {@code wrapper} (e.g. {@code unshare --pid --fork}), which must exec or wait for it. */
    static CarnivalProcess startWrapped(List<String> wrapper, Path dir, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("CARNIVAL_CONFIG_TOML");
        pb.environment().remove("CARNIVAL_CONFIG");
        pb.environment().remove("CARNIVAL_LOG_LEVEL");
        pb.environment().remove("CARNIVAL_PLUGIN_PATH");
        Map<String, String> extra = new HashMap<>(env);
        extra.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        try {
            Path out = Files.createTempFile(dir, "carnival-", ".out");
            Path err = Files.createTempFile(dir, "carnival-", ".err");
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            return new CarnivalProcess(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs carnival to completion and returns its exit code. */
    static CarnivalProcess run(Path dir, String... args) {
        CarnivalProcess p = start(dir, Map.of(), args);
        p.exitCode();
        return p;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for carnival to exit (within the long deadline) and returns its exit code. */
    int exitCode() {
        try {
            if (!process.waitFor(Await.LONG.toSeconds(), TimeUnit.SECONDS)) {
                fail("carnival did not exit within " + Await.LONG.toSeconds() + "s; stderr so far:\n" + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        return process.exitValue();
    }

    /** Sends a signal (e.g. "TERM") to carnival itself. */
    void signal(String name) {
        Signals.send(name, process.pid());
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    /** How many bytes carnival has written to stdout so far. */
    long stdoutSize() {
        try {
            return Files.size(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file carnival's stdout goes to. */
    Path stdoutPath() {
        return out;
    }

    /** Exactly the bytes carnival wrote to stdout. */
    byte[] stdoutBytes() {
        try {
            return Files.readAllBytes(out);
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

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
