package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services get the soft open-file limit Carnival was started with, not the raised one Carnival
 * runs with itself: started with 1024 of a hard 4096, every service (plain, prefixed output, as
 * another user, restarted) reads 1024 and 4096, while Carnival has 4096.
 */
class OpenFilesLimitIT {
    private static final String PRLIMIT = "/usr/bin/prlimit";

    @TempDir
    Path dir;

    private static String limits(long pid) {
        return Configs.read(Path.of("/proc/" + pid + "/limits")).lines()
                .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
    }

    /** Appends "SOFT HARD" to NAME.runs in one write at each start, then sleeps. */
    private static String script(String name) {
        return "echo \\\"$(ulimit -Sn) $(ulimit -Hn)\\\" >> " + name + ".runs; exec sleep 1000";
    }

    /** The limits a service's runs wrote, once there are {@code runs} of them. */
    private String runs(CarnivalProcess c, String name, int runs) {
        Path file = dir.resolve(name + ".runs");
        Await.until(() -> runs + " runs of " + name + "; log:\n" + c.stderr(), () -> Configs.lines(file) >= runs);
        return Configs.read(file);
    }

    @Test
    void servicesKeepTheSoftLimitCarnivalWasStartedWith() throws IOException {
        assumeTrue(Files.isExecutable(Path.of(PRLIMIT)), "needs prlimit (util-linux)");
        assumeFalse(ImageHarness.jdkProcessControl(), "the JDK fallback never raises the limit: see docs");
        boolean root = Files.readString(Path.of("/proc/self/status")).contains("Uid:\t0\t0\t0\t0");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String toml = """
                [[service]]
                name = "plain"
                command = "sh"
                args = ["-c", "%s"]
                restart = "always"
                restart-delay-ms = 0
                [[service]]
                name = "prefixed"
                command = "sh"
                args = ["-c", "%s"]
                output = "prefix"
                """.formatted(script("plain"), script("prefixed"))
                + (root ? """
                [[service]]
                name = "nobody"
                command = "sh"
                args = ["-c", "%s"]
                user = "nobody"
                """.formatted(script("nobody")) : "");
        Control control = new Control(dir);
        try (CarnivalProcess c = CarnivalProcess.startWrapped(List.of(PRLIMIT, "--nofile=1024:4096", "--"), dir,
                Map.of("CARNIVAL_CONTROL_SOCKET", control.socket.toString()), CarnivalProcess.withConfig(dir, toml))) {
            for (String name : root ? List.of("plain", "prefixed", "nobody") : List.of("plain", "prefixed")) {
                assertEquals("1024 4096\n", runs(c, name, 1), name);
            }
            assertEquals(List.of("4096", "4096"), List.of(limits(c.pid()).split("\\s+")).subList(3, 5), limits(c.pid()));
            try (CarnivalProcess r = control.client("restart", "plain")) {
                assertEquals(0, r.exitCode(), r.stderr());
            }
            assertEquals("1024 4096\n1024 4096\n", runs(c, "plain", 2), "after a restart");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }
}
