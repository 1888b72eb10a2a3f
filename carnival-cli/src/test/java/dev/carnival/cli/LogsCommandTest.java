package dev.carnival.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import dev.carnival.api.Operation;
import dev.carnival.cli.control.ControlServer;
import dev.carnival.cli.control.FakeSupervisor;
import dev.carnival.cli.control.Operations;
import dev.carnival.cli.control.Request;
import dev.carnival.runtime.logs.LogBuffers;
import dev.carnival.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** carnival logs against a real control socket on a fake supervisor whose "web" is captured and "db" is not. */
class LogsCommandTest {
    @TempDir
    Path dir;

    private final FakeSupervisor supervisor = new FakeSupervisor();
    private final LogBuffers buffers = new LogBuffers(new LinkedHashMap<>(Map.of("web", 100)));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ControlServer open() throws Exception {
        return ControlServer.open(dir.resolve("c.sock"), new Operations(supervisor, Operation.Origin.SOCKET, buffers));
    }

    private void write(int replica, StdStream stream, byte[] line, boolean continued) {
        buffers.tap("web").line(new ReplicaId("web", replica), stream, line, 0, line.length, 1_796_605_323_456L, continued);
    }

    private int logs(boolean follow, int lines, boolean timestamps, String... targets) {
        return LogsCommand.run(new LogsCommand.Options(follow, lines, timestamps, List.of(targets)), dir.resolve("c.sock"),
                new PrintStream(out, true), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsTheBufferedLinesWithTheirBytesAsWritten() throws Exception {
        byte[] odd = {'a', (byte) 0xff, '"', '\\', '\t', (byte) 0xc3, (byte) 0xa9};
        write(0, StdStream.STDOUT, "one".getBytes(StandardCharsets.UTF_8), false);
        write(1, StdStream.STDERR, odd, false);
        write(0, StdStream.STDOUT, "two".getBytes(StandardCharsets.UTF_8), false);
        write(0, StdStream.STDOUT, "two, piece 2".getBytes(StandardCharsets.UTF_8), true);
        try (ControlServer server = open()) {
            assertEquals(0, logs(false, -1, false));
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes("web[0] | one\nweb[1] | ".getBytes(StandardCharsets.UTF_8));
            expected.writeBytes(odd);
            expected.writeBytes("\nweb[0] | two\nweb[0] + two, piece 2\n".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(expected.toByteArray(), out.toByteArray(), out.toString(StandardCharsets.UTF_8));
            out.reset();
            assertEquals(0, logs(false, 1, true, "web/0"));
            assertEquals("2026-12-07T01:02:03.456Z web[0] + two, piece 2\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void unknownAndUncapturedAreUsageErrors() throws Exception {
        try (ControlServer server = open()) {
            assertEquals(2, logs(false, -1, false, "nope"));
            assertEquals("carnival: unknown service 'nope' (services: db, web)\n", err.toString(StandardCharsets.UTF_8));
            err.reset();
            assertEquals(2, logs(false, -1, false, "db"));
            assertEquals("carnival: the output of 'db' is not captured (output = \"inherit\"): set output = \"prefix\","
                    + " \"raw\" or \"json\" to keep its lines\n", err.toString(StandardCharsets.UTF_8));
            err.reset();
            assertEquals(2, logs(false, -1, false, "web/5"));
        }
    }

    @Test
    void followEndsWithTheSupervisorAndSaysWhatItLost() throws Exception {
        try (ControlServer server = open()) {
            CompletableFuture<Integer> follow = CompletableFuture.supplyAsync(() -> logs(true, -1, false, "web"));
            write(0, StdStream.STDOUT, "live".getBytes(StandardCharsets.UTF_8), false);
            Await.until(() -> "the live line; " + out, () -> out.toString(StandardCharsets.UTF_8).equals("web[0] | live\n"));
            buffers.close();
            assertEquals(0, follow.get(30, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theRequestCarriesLinesAndFollowForLogsOnly() throws Exception {
        Request r = new Request(Request.Op.LOGS, List.of("web"), Optional.empty(), new Request.Logs(5, true));
        byte[] line = r.toLine();
        assertEquals("{\"op\":\"logs\",\"targets\":[\"web\"],\"lines\":5,\"follow\":true}\n", new String(line, StandardCharsets.UTF_8));
        assertEquals(r, Request.parse(line, line.length - 1));
        byte[] bad = "{\"op\":\"status\",\"follow\":true}".getBytes(StandardCharsets.UTF_8);
        assertEquals("'lines' and 'follow' go with op logs only", assertThrows(Request.BadRequestException.class,
                () -> Request.parse(bad, bad.length)).getMessage());
        byte[] negative = "{\"op\":\"logs\",\"lines\":-1}".getBytes(StandardCharsets.UTF_8);
        assertThrows(Request.BadRequestException.class, () -> Request.parse(negative, negative.length));
    }
}
