package dev.carnival.runtime.process.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orphan reaping, in a JVM of its own ({@link OrphanReapingMain}): as PID 1 of a new PID
 * namespace (skipped where unshare is not permitted) and as child subreaper.
 */
class OrphanReapingTest {
    @TempDir
    Path tmp;

    /** Runs {@code scenario} as PID 1 of a new PID namespace (skipped where unshare is not allowed). */
    private void asPid1(String scenario) throws Exception {
        assumeUnshare();
        run(List.of("unshare", "--pid", "--fork", "--mount-proc"), scenario);
    }

    @Test
    void reapsOrphansAsPid1() throws Exception {
        asPid1("zombies");
    }

    @Test
    void reapsOrphansAsSubreaper() throws Exception {
        run(List.of(), "zombies");
    }

    @Test
    void managedStatusesSurviveOrphanChurnAsPid1() throws Exception {
        asPid1("churn");
    }

    @Test
    void managedStatusesSurviveOrphanChurnAsSubreaper() throws Exception {
        run(List.of(), "churn");
    }

    @Test
    void stopsLeftoverDescendantsAsPid1() throws Exception {
        asPid1("leftovers");
    }

    @Test
    void stopsLeftoverDescendantsAsSubreaper() throws Exception {
        run(List.of(), "leftovers");
    }

    @Test
    void theJdkFallbackStopsLeftoverDescendantsAsPid1() throws Exception {
        asPid1("leftovers-jdk");
    }

    @Test
    void aManagedChildThatExitsBeforeItIsRegisteredIsNoOrphan() throws Exception {
        run(List.of(), "unregistered");
    }

    private static void assumeUnshare() throws Exception {
        int rc;
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            rc = p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (java.io.IOException e) {
            rc = -1;
        }
        assumeTrue(rc == 0, "unshare --pid --fork --mount-proc is not permitted here");
    }

    private void run(List<String> prefix, String scenario) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                OrphanReapingMain.class.getName(), scenario));
        File out = tmp.resolve("out.txt").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(out.toPath());
        System.out.println("--- " + scenario + (prefix.isEmpty() ? " as subreaper" : " as PID 1") + "\n" + output);
        assertEquals(0, p.waitFor(), output);
    }
}
