package dev.carnival.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline: the only way the tests of every module wait.
 *
 * <p>Open only so that a test package can name it {@code Await} without an import, through an
 * empty subclass of its own ({@code final class Await extends dev.carnival.testing.Await {}}):
 * static members are reached through a subclass's name.
 */
public class Await {
    /**
     * The one deadline: for a condition, a process to exit, a command to finish. Generous, since a
     * loaded 2-core CI machine can be slow, and a passing test never waits this long; a test
     * passes a shorter one only when the wait itself is what it checks.
     */
    public static final Duration DEADLINE = Duration.ofSeconds(60);
    /** {@link #DEADLINE}, by the name some tests use. */
    public static final Duration LONG = DEADLINE;

    private static final long POLL_MILLIS = 10;

    protected Await() {}

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEADLINE, condition);
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        until(() -> what, deadline, condition);
    }

    /** As {@link #until(String, BooleanSupplier)}, describing the failure only when it happens. */
    public static void until(Supplier<String> what, BooleanSupplier condition) {
        until(what, DEADLINE, condition);
    }

    public static void until(Supplier<String> what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + deadline.toSeconds() + "s waiting for: " + what.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what.get());
            }
        }
    }

    /** Waits for a file to exist with a complete line (ending in a newline) and returns it, stripped. */
    public static String line(Path file) {
        until(file + " to be written", () -> read(file).filter(s -> s.endsWith("\n")).isPresent());
        return read(file).orElseThrow().strip();
    }

    /** The file's text, or empty while it does not exist. */
    public static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A file can vanish after it was opened: /proc/PID/stat of a process reaped meanwhile
            // fails the read with ESRCH. Seen in OrphanReapingMain's scan of /proc during churn.
            if (Files.notExists(file)) {
                return Optional.empty();
            }
            throw new UncheckedIOException(e);
        }
    }

    /** True when the process is gone or a zombie (its parent may not be us, nor reap promptly). */
    public static boolean dead(long pid) {
        Optional<String> stat = read(Path.of("/proc/" + pid + "/stat"));
        return stat.isEmpty() || stat.get().substring(stat.get().lastIndexOf(')') + 2).startsWith("Z");
    }
}
