package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** carnival logs through the real command: the buffer, -n, -f, a stuck client, the errors. */
class ServiceLogsIT {
    @TempDir
    Path dir;

    @Test
    void theLinesBeforeACrashAreThereAfterIt() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start("""
                [global]
                log-buffer-lines = 3
                [[service]]
                name = "crashy"
                command = "sh"
                args = ["-c", "for i in 1 2 3 4 5; do echo line $i; done; echo dying >&2; exit 7"]
                output = "prefix"
                [[service]]
                name = "keep"
                command = "sh"
                args = ["-c", "echo kept; exec sleep 100"]
                output = "raw"
                log-buffer-lines = 10
                [[service]]
                name = "plain"
                command = "sleep"
                args = ["100"]
                """)) {
            c.awaitLog("crashy[0] exited with code 7");
            Await.until(() -> "keep's line; " + c.stdout(), () -> c.stdout().contains("kept"));
            try (CarnivalProcess logs = control.client("logs", "crashy")) {
                assertEquals(0, logs.exitCode(), logs.stderr());
                assertEquals("crashy[0] | line 4\ncrashy[0] | line 5\ncrashy[0] | dying\n", logs.stdout(),
                        "the last 3 lines, stdout and stderr in the order written");
            }
            try (CarnivalProcess logs = control.client("logs")) {
                assertEquals(0, logs.exitCode(), logs.stderr());
                List<String> all = logs.stdout().lines().toList();
                assertEquals(List.of("crashy[0] | dying", "crashy[0] | line 4", "crashy[0] | line 5", "keep[0] | kept"),
                        all.stream().sorted().toList(), "every captured service");
                assertEquals(List.of("crashy[0] | line 4", "crashy[0] | line 5", "crashy[0] | dying"),
                        all.stream().filter(l -> l.startsWith("crashy")).toList(), "in the order written");
            }
            try (CarnivalProcess logs = control.client("logs", "-n", "1", "keep", "crashy")) {
                assertEquals(0, logs.exitCode(), logs.stderr());
                assertEquals(1, logs.stdout().lines().count(), logs.stdout());
            }
            try (CarnivalProcess logs = control.client("logs", "--timestamps", "keep/0")) {
                assertEquals(0, logs.exitCode(), logs.stderr());
                assertTrue(logs.stdout().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z keep\\[0] \\| kept\n"),
                        logs.stdout());
            }
            try (CarnivalProcess logs = control.client("logs", "nope")) {
                assertEquals(2, logs.exitCode());
                assertTrue(logs.stderr().startsWith("carnival: unknown service 'nope'"), logs.stderr());
            }
            try (CarnivalProcess logs = control.client("logs", "plain")) {
                assertEquals(2, logs.exitCode());
                assertEquals(List.of("carnival: the output of 'plain' is not captured (output = \"inherit\"): set output"
                        + " = \"prefix\", \"raw\" or \"json\" to keep its lines"), logs.stderr().lines().toList());
            }
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void followPrintsNewLinesUntilTheSupervisorStops() {
        Control control = new Control(dir);
        Path go = dir.resolve("go");
        try (CarnivalProcess c = control.start("""
                [[service]]
                name = "ticker"
                command = "sh"
                args = ["-c", "echo before; while [ ! -e %s ]; do sleep 0.05; done; echo after; exec sleep 100"]
                output = "json"
                """.formatted(go))) {
            Await.until(() -> "before; " + c.stdout(), () -> c.stdout().contains("before"));
            try (CarnivalProcess follow = CarnivalProcess.start(dir, Map.of(),
                    "logs", "-f", "ticker", "--socket", control.socket.toString())) {
                Await.until(() -> "the buffered line; " + follow.stdout() + follow.stderr(),
                        () -> follow.stdout().equals("ticker[0] | before\n"));
                Configs.write(dir, "go", "");
                Await.until(() -> "the new line; " + follow.stdout() + follow.stderr(),
                        () -> follow.stdout().equals("ticker[0] | before\nticker[0] | after\n"));
                assertTrue(follow.isAlive(), "still following");
                c.signal("TERM");
                assertEquals(0, c.exitCode(), c.stderr());
                assertEquals(0, follow.exitCode(), follow.stderr());
            }
        }
    }

    @Test
    void aStuckClientLosesLinesAndTheServiceNothing() throws IOException {
        Control control = new Control(dir);
        Path done = dir.resolve("done");
        // 200000 lines of ~100 bytes: far more than the socket buffers and the 1000-line buffer hold.
        try (CarnivalProcess c = control.start("""
                [[service]]
                name = "chatty"
                command = "sh"
                args = ["-c", "echo hello; while [ ! -e %s ]; do sleep 0.05; done; i=0; while [ $i -lt 200000 ]; do echo \\"line $i ..........................................................................................\\"; i=$((i+1)); done; touch %s; exec sleep 100"]
                output = "raw"
                """.formatted(dir.resolve("go"), done));
             SocketChannel stuck = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            stuck.connect(UnixDomainSocketAddress.of(control.socket));
            stuck.write(ByteBuffer.wrap("{\"op\":\"logs\",\"targets\":[\"chatty\"],\"follow\":true}\n"
                    .getBytes(StandardCharsets.UTF_8)));
            // Once this client has the first line, it follows the service; from then on it reads nothing.
            ByteBuffer first = ByteBuffer.allocate(4096);
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("\"line\":\"hello\"")) {
                first.clear();
                assertTrue(stuck.read(first) > 0, "the stream ended: " + seen);
                seen.append(new String(first.array(), 0, first.position(), StandardCharsets.UTF_8));
            }
            Configs.write(dir, "go", "");
            // The client reads nothing: the service must still get everything out.
            Await.until(() -> "the service finished writing; " + c.stderr(), () -> dir.resolve("done").toFile().exists());
            Await.until(() -> "every line on stdout", () -> c.stdout().contains("line 199999 ."));
            assertEquals(200_000, c.stdout().lines().filter(l -> l.startsWith("line ")).count(), "the service lost nothing");
            try (CarnivalProcess tail = control.client("logs", "-n", "2", "chatty")) {
                assertEquals(0, tail.exitCode(), tail.stderr());
                assertEquals(List.of("chatty[0] | line 199998", "chatty[0] | line 199999"), tail.stdout().lines()
                        .map(l -> l.substring(0, l.indexOf(" ."))).toList(), "another client is served meanwhile");
            }
            // Now read: what the stuck client gets and what it is told it lost add up to every line.
            long[] got = readUntilLast(stuck);
            assertEquals(200_000, got[0] + got[1], "lines " + got[0] + " + lost " + got[1]);
            assertTrue(got[1] > 150_000, "it stalled for nearly all of them: lost " + got[1]);
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    /** Reads the stream until the line {@code line 199999}: the lines of the service it got, and the sum of what it lost. */
    private static long[] readUntilLast(SocketChannel channel) throws IOException {
        Pattern lost = Pattern.compile("^\\{\"lost\":(\\d+)}$");
        long lines = 0;
        long lostSum = 0;
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        StringBuilder partial = new StringBuilder();
        long deadline = System.nanoTime() + Await.DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            buffer.clear();
            if (channel.read(buffer) < 0) {
                break;
            }
            partial.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, end);
                partial.delete(0, end + 1);
                Matcher m = lost.matcher(line);
                if (m.matches()) {
                    lostSum += Long.parseLong(m.group(1));
                } else if (line.contains("\"line\":\"line ")) {
                    lines++;
                    if (line.contains("\"line\":\"line 199999 ")) {
                        return new long[] {lines, lostSum};
                    }
                }
            }
        }
        throw new AssertionError("the stream did not reach the last line: " + lines + " lines, " + lostSum + " lost");
    }
}
