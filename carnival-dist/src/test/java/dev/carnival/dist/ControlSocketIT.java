package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.cli.control.StatusReport;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket of the real command: its file, its protocol, the client's table, JSON and exit codes. */
class ControlSocketIT {
    static final String TWO_SLEEPERS = """
            [[service]]
            name = "web"
            command = "sleep"
            args = ["300"]
            replicas = 2
            """;

    @TempDir
    Path dir;

    @Test
    void statusPrintsATableAndJsonOfTheRealProcesses() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(TWO_SLEEPERS)) {
            StatusReport report = control.awaitState("web", "running");
            for (StatusReport.Row r : report.replicas()) {
                assertTrue(Signals.alive(r.pid().getAsLong()), "pid " + r.pid() + " is a live process");
                assertTrue(r.ready());
                assertEquals(0, r.restarts());
            }
            try (CarnivalProcess table = control.client("status")) {
                assertEquals(0, table.exitCode(), table.stderr());
                List<String> lines = table.stdout().lines().toList();
                assertEquals(3, lines.size(), table.stdout());
                assertTrue(lines.get(0).matches("SERVICE +REPLICA +STATE +PID +UPTIME +RESTARTS +LAST EXIT +READY +CPU +MEM"), lines.get(0));
                assertTrue(lines.get(1).matches("web +0 +running +" + report.replicas().get(0).pid().getAsLong() + " +\\S+ +0 +- +yes +\\S+ +\\S+"), lines.get(1));
            }
            try (CarnivalProcess json = control.client("status", "--json", "web/1")) {
                assertEquals(0, json.exitCode(), json.stderr());
                String out = json.stdout();
                assertTrue(out.startsWith("{\"phase\":\"running\",\"generation\":1,\"replicas\":[{\"service\":\"web\",\"replica\":1,\"state\":\"running\",\"pid\":"
                        + report.replicas().get(1).pid().getAsLong() + ",\"ready\":true,\"restarts\":0,\"uptime_ms\":"), out);
                assertTrue(out.contains("\"last_exit\":null"), out);
                assertEquals(1, Control.parse(out).replicas().size());
            }
        }
    }

    @Test
    void exitCodes() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(TWO_SLEEPERS + """
                [[service]]
                name = "broken"
                command = "sh"
                args = ["-c", "exit 3"]
                restart = "on-failure"
                restart-limit = 1
                """)) {
            control.awaitState("broken", "stopped");
            try (CarnivalProcess s = control.client("status")) {
                assertEquals(3, s.exitCode(), "a replica that should run does not: " + s.stderr());
                assertTrue(s.stdout().lines().anyMatch(l -> l.matches("broken +0 +stopped +- +- +0 +code 3 +no +- +-")), s.stdout());
            }
            try (CarnivalProcess s = control.client("status", "web")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            try (CarnivalProcess s = control.client("status", "nope")) {
                assertEquals(2, s.exitCode());
                assertEquals("carnival: unknown service 'nope' (services: broken, web)\n", s.stderr());
            }
            try (CarnivalProcess s = control.client("restart", "web/7")) {
                assertEquals(2, s.exitCode());
                assertEquals("carnival: unknown replica 'web/7' (web has 2 replicas: 0 to 1)\n", s.stderr());
            }
            try (CarnivalProcess s = control.client("signal", "NOSUCH", "web")) {
                assertEquals(2, s.exitCode());
                assertEquals("carnival: unknown signal 'NOSUCH' (see carnival --help)\n", s.stderr());
            }
            try (CarnivalProcess s = control.client("stop")) {
                assertEquals(2, s.exitCode());
                assertTrue(s.stderr().startsWith("carnival: stop needs at least one NAME"), s.stderr());
            }
        }
        Path nowhere = dir.resolve("nowhere.sock");
        try (CarnivalProcess s = CarnivalProcess.run(dir, "status", "--socket", nowhere.toString())) {
            assertEquals(4, s.exitCode());
            assertTrue(s.stderr().startsWith("carnival: no supervisor answers at " + nowhere + " ("), s.stderr());
            assertEquals(1, s.stderr().lines().count(), s.stderr());
        }
    }

    @Test
    void socketIsOwnerOnlyAndRemovedAtExit() throws IOException {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(TWO_SLEEPERS)) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(control.socket, LinkOption.NOFOLLOW_LINKS)));
            c.awaitLog("Control socket: " + control.socket);
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
        assertFalse(Files.exists(control.socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void staleSocketIsReplacedLiveOneIsAStartupError() throws IOException {
        Control control = new Control(dir);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(control.socket));
        }
        try (CarnivalProcess c = control.start(TWO_SLEEPERS)) {
            control.awaitState("web", "running");
            Path other = Files.createDirectory(dir.resolve("other"));
            try (CarnivalProcess second = CarnivalProcess.start(other, Map.of("CARNIVAL_CONTROL_SOCKET",
                    control.socket.toString()), CarnivalProcess.withConfig(other, TWO_SLEEPERS))) {
                assertEquals(2, second.exitCode(), second.stderr());
                assertTrue(second.stderr().contains("control socket " + control.socket + ": another supervisor answers there"),
                        second.stderr());
                assertFalse(second.stderr().contains("started with PID"), "nothing started: " + second.stderr());
                second.assertNoStackTrace();
            }
            assertEquals(2, control.status().replicas().size(), "the first supervisor still answers");
        }
    }

    @Test
    void badRequestsASilentClientAndAHundredClientsAtOnce() throws Exception {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(TWO_SLEEPERS);
             SocketChannel silent = connect(control.socket);
             SocketChannel client = connect(control.socket)) {
            control.awaitState("web", "running");
            assertTrue(exchange(client, "{\"op\": \"status\"\n").startsWith("{\"ok\":false,\"error\":\"bad-request\",\"message\":\"malformed JSON"));
            assertEquals("{\"ok\":false,\"error\":\"bad-request\",\"message\":\"unknown op 'reboot' (known: status, stop, start, restart, signal, logs, reload, scale)\"}",
                    exchange(client, "{\"op\": \"reboot\"}\n"));
            assertTrue(exchange(client, "{\"op\": \"status\"}\n").startsWith("{\"ok\":true,\"status\":{\"phase\":\"running\""));

            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Callable<String>> hundred = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                hundred.add(() -> {
                    try (SocketChannel one = connect(control.socket)) {
                        return exchange(one, "{\"op\":\"status\",\"targets\":[\"web/1\"]}\n");
                    }
                });
            }
            for (Future<String> answer : pool.invokeAll(hundred)) {
                assertTrue(answer.get().startsWith("{\"ok\":true,\"status\":{\"phase\":\"running\",\"generation\":1,\"replicas\":[{\"service\":\"web\",\"replica\":1,"),
                        answer.get());
            }
            pool.close();

            try (SocketChannel big = connect(control.socket)) {
                String huge = "{\"op\":\"status\",\"targets\":[\"" + "x".repeat(70_000) + "\"]}\n";
                assertEquals("{\"ok\":false,\"error\":\"bad-request\",\"message\":\"request longer than 65536 bytes\"}",
                        exchange(big, huge));
            }
            try (CarnivalProcess s = control.client("status")) {
                assertEquals(0, s.exitCode(), "the silent client blocks nobody: " + s.stderr());
            }
            assertTrue(silent.isOpen());
        }
    }

    static SocketChannel connect(Path socket) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    /** Sends {@code line} and reads one answer line (the write may be cut short by an oversized request's answer). */
    static String exchange(SocketChannel channel, String line) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException closedEarly) {
            // the server answered and closed before reading all of it
        }
        ByteBuffer in = ByteBuffer.allocate(1 << 20);
        while (true) {
            if (channel.read(in) < 0) {
                break;
            }
            if (in.position() > 0 && in.get(in.position() - 1) == '\n') {
                break;
            }
        }
        String answer = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
        return answer.endsWith("\n") ? answer.substring(0, answer.length() - 1) : answer;
    }
}
