package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real signals and process facts, by pid. */
final class Signals {
    private Signals() {}

    static void send(String name, long pid) {
        try {
            int rc = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).inheritIO().start().waitFor();
            if (rc != 0) {
                fail("kill -s " + name + " " + pid + " failed with " + rc);
            }
        } catch (IOException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while {@code pid} exists and is not a zombie. */
    static boolean alive(long pid) {
        try {
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            return !status.contains("State:\tZ");
        } catch (IOException e) {
            return false;
        }
    }
}
