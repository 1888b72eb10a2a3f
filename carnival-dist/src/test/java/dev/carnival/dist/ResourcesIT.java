package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.cli.control.StatusReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Per-replica CPU and memory from /proc, and max-memory, through the real command. */
class ResourcesIT {
    @TempDir
    Path dir;

    /** Resident bytes of every process in process group {@code pgid}, read as the test sees /proc now. */
    private static long groupRss(long pgid) throws IOException {
        long pages = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(f[2]) == pgid) {
                    pages += Long.parseLong(f[21]);
                }
            }
        }
        return pages * 4096;
    }

    private static final Map<String, String> SLEEPERS = Map.of("toml", """
            [global]
            resource-period-ms = 100
            [[service]]
            name = "idle"
            command = "sh"
            args = ["-c", "sleep 100 & sleep 100 & wait"]
            [[service]]
            name = "busy"
            command = "sh"
            args = ["-c", "while :; do :; done"]
            """, "yaml", """
            global:
              resource-period-ms: 100
            service:
              - name: idle
                command: sh
                args: ["-c", "sleep 100 & sleep 100 & wait"]
              - name: busy
                command: sh
                args: ["-c", "while :; do :; done"]
            """);

    @ParameterizedTest
    @ValueSource(strings = {"toml", "yaml"})
    void statusShowsEachGroupsMemoryAndCpuAsProcSees(String format) throws IOException {
        Control control = new Control(dir);
        Configs.write(dir, "c." + format, SLEEPERS.get(format));
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_CONTROL_SOCKET", control.socket.toString()),
                "-c", "c." + format)) {
            c.awaitLog("Control socket: " + control.socket);
            Await.until(() -> "samples of both; " + c.stderr(), () -> control.status().replicas().stream()
                    .allMatch(r -> r.resources() != null));
            StatusReport.Row idle = control.status().replicas().stream().filter(r -> r.service().equals("idle"))
                    .findFirst().orElseThrow();
            long rss = groupRss(idle.pid().getAsLong());
            long sampled = idle.resources().memoryBytes();
            // sh and two sleeps: three processes' RSS, which barely moves while they sleep.
            assertTrue(Math.abs(sampled - rss) <= rss / 5, "sampled " + sampled + ", /proc now " + rss);
            assertTrue(rss > 3 * 100 * 1024, "three processes: " + rss);
            Await.until(() -> "busy near one core; " + control.status(), () -> control.status().replicas().stream()
                    .anyMatch(r -> r.service().equals("busy") && r.resources() != null && r.resources().cpuPercent() > 20));
            try (CarnivalProcess table = control.client("status")) {
                List<String> lines = table.stdout().lines().toList();
                assertTrue(lines.getFirst().matches("SERVICE +REPLICA +STATE +PID +UPTIME +RESTARTS +LAST EXIT +READY +CPU +MEM"),
                        table.stdout());
                assertTrue(lines.get(1).matches(".* \\d+\\.\\d% +\\d+(\\.\\d)?(KiB|MiB)"), table.stdout());
            }
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    private static final Pattern OVER = Pattern.compile(
            "hog\\[0] used (\\d+(?:\\.\\d+)?) MiB, over max-memory 20 MiB for 0 s: stopping");

    private static final Map<String, String> HOG = Map.of("toml", """
            [global]
            resource-period-ms = 100
            [[service]]
            name = "hog"
            command = "sh"
            args = ["-c", "x=$(head -c 60000000 /dev/zero | tr '\\\\0' a); sleep 100"]
            max-memory = "20MiB"
            max-memory-for-ms = 0
            restart = "always"
            restart-delay-ms = 0
            restart-limit = 2
            """, "yaml", """
            global: { resource-period-ms: 100 }
            service:
              - name: hog
                command: sh
                args: ["-c", "x=$(head -c 60000000 /dev/zero | tr '\\\\0' a); sleep 100"]
                max-memory: 20MiB
                max-memory-for-ms: 0
                restart: always
                restart-delay-ms: 0
                restart-limit: 2
            """);

    @ParameterizedTest
    @ValueSource(strings = {"toml", "yaml"})
    void aReplicaOverItsLimitIsStoppedAndItsPolicyDecides(String format) {
        Configs.write(dir, "c." + format, HOG.get(format));
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c." + format)) {
            assertEquals(0, c.exitCode(), c.stderr());
            Matcher m = OVER.matcher(c.stderr());
            int times = 0;
            while (m.find()) {
                assertTrue(Double.parseDouble(m.group(1)) > 20, m.group());
                times++;
            }
            assertEquals(2, times, "each of its two runs stopped over the limit:\n" + c.stderr());
            assertTrue(c.stderr().contains("hog[0] started with PID") && c.stderr().contains("(restart 1)"), c.stderr());
            assertTrue(c.stderr().contains("hog[0] reached restart limit"), c.stderr());
        }
    }
}
