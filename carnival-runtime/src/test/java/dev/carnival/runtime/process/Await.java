package dev.carnival.runtime.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline: generous, since CI machines can be slow and loaded. */
public final class Await {
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private Await() {}

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEADLINE, condition);
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + deadline + " waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Waits for a file to exist with a complete line (ending in a newline) and returns it, stripped. */
    public static String line(Path file) {
        until(file + " to be written", () -> read(file).filter(s -> s.endsWith("\n")).isPresent());
        return read(file).orElseThrow().strip();
    }

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
