package dev.carnival.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes test configs and reads the files their processes leave behind. */
final class Configs {
    /** The smallest valid config: one service that exits 0 at once. Three lines, so appended keys start on line 4. */
    static final String ONE_TRUE_SERVICE = "[[service]]\nname = \"a\"\ncommand = \"true\"\n";

    private Configs() {}

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long lines(Path file) {
        return read(file).lines().count();
    }

    /**
     * Waits for a pid file a service writes with {@code echo $$ > file} and returns the pid. The
     * trailing newline is the end of that one write: before it, the file may be empty or hold
     * only the first digits.
     */
    static long awaitPid(Path file) {
        return Long.parseLong(Await.line(file));
    }
}
