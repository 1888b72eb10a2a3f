package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Real signals and process facts, by pid. */
final class Signals {
    private Signals() {}

    static void send(String name, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(ImageHarness.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                fail("kill -s " + name + " " + pid + " did not finish within " + ImageHarness.DEADLINE.toSeconds() + "s");
            }
            int rc = kill.exitValue();
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
        return !Await.dead(pid);
    }
}
