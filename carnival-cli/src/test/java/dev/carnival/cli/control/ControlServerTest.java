package dev.carnival.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.Operation;
import dev.carnival.api.model.Signal;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    @TempDir
    Path dir;

    private final FakeSupervisor supervisor = new FakeSupervisor();

    private ControlServer open() throws ControlException {
        return ControlServer.open(dir.resolve("c.sock"), new Operations(supervisor, Operation.Origin.SOCKET));
    }

    private static String exchange(SocketChannel channel, String line) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
        LineReader in = new LineReader(channel, 1 << 20);
        byte[] answer = in.next();
        return answer == null ? null : new String(answer, 0, in.length(), StandardCharsets.UTF_8);
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("c.sock")));
    }

    @Test
    void socketIsOwnerOnlyAndRemovedAtClose() throws Exception {
        Path socket = dir.resolve("c.sock");
        try (ControlServer server = open()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(socket), files.toList(), "no temporary directory left behind");
            }
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void staleSocketIsReplacedAndLiveOneRefused() throws Exception {
        Path socket = dir.resolve("c.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "closing a channel leaves its file: a stale socket");
        try (ControlServer server = open(); SocketChannel client = connect()) {
            assertTrue(exchange(client, "{\"op\":\"status\"}\n").startsWith("{\"ok\":true"));
            ControlException live = assertThrows(ControlException.class, this::open);
            assertEquals("control socket " + socket + ": another supervisor answers there", live.getMessage());
        }
    }

    @Test
    void aFileThatIsNoSocketIsLeftAlone() throws Exception {
        Files.writeString(dir.resolve("c.sock"), "mine");
        ControlException e = assertThrows(ControlException.class, this::open);
        assertTrue(e.getMessage().endsWith("the path exists and is not a socket"), e.getMessage());
        assertEquals("mine", Files.readString(dir.resolve("c.sock")));
    }

    @Test
    void badRequestsGetAnErrorAndTheConnectionGoesOn() throws Exception {
        try (ControlServer server = open(); SocketChannel client = connect()) {
            assertTrue(exchange(client, "{\"op\":\n").contains("\"error\":\"bad-request\",\"message\":\"malformed JSON"));
            assertEquals("{\"ok\":false,\"error\":\"bad-request\",\"message\":\"unknown op 'reboot' (known: status, stop, start, restart, signal, logs, reload, scale)\"}",
                    exchange(client, "{\"op\":\"reboot\"}\n"));
            assertTrue(exchange(client, "[1]\n").contains("bad-request"));
            assertEquals("{\"ok\":false,\"error\":\"unknown-target\",\"message\":\"unknown service 'nope' (services: db, web)\"}",
                    exchange(client, "{\"op\":\"stop\",\"targets\":[\"web\",\"nope\"]}\n"));
            assertEquals("{\"ok\":false,\"error\":\"unknown-target\",\"message\":\"unknown replica 'web/2' (web has 2 replicas: 0 to 1)\"}",
                    exchange(client, "{\"op\":\"restart\",\"targets\":[\"web/2\"]}\n"));
            assertEquals(List.of(), supervisor.calls, "a request with an unknown target changes nothing");
            assertTrue(exchange(client, "{\"op\":\"status\"}\n").startsWith("{\"ok\":true"));
        }
    }

    @Test
    void anOversizedRequestGetsAnErrorAndTheConnectionIsClosed() throws Exception {
        try (ControlServer server = open(); SocketChannel client = connect()) {
            String huge = "{\"op\":\"status\",\"targets\":[\"" + "x".repeat(ControlServer.MAX_REQUEST) + "\"]}\n";
            assertEquals("{\"ok\":false,\"error\":\"bad-request\",\"message\":\"request longer than 65536 bytes\"}",
                    exchange(client, huge));
            assertEquals(-1, client.read(ByteBuffer.allocate(1)));
        }
    }

    @Test
    void operationsReachTheSupervisor() throws Exception {
        try (ControlServer server = open(); ControlClient client = ControlClient.connect(server.path())) {
            assertEquals(Optional.empty(), client.send(new Request(Request.Op.RESTART, List.of("web", "db/0"), Optional.empty())).error());
            assertEquals(Optional.empty(), client.send(new Request(Request.Op.SIGNAL, List.of("web/1"), Optional.of(Signal.HUP))).error());
            assertEquals(List.of("restart web", "restart db/0", "signal SIGHUP web/1"), supervisor.calls);
            StatusReport only = client.send(new Request(Request.Op.STATUS, List.of("web/1"), Optional.empty())).status().orElseThrow();
            assertEquals(1, only.replicas().size());
            assertEquals(101, only.replicas().getFirst().pid().getAsLong());
        }
    }

    @Test
    void aSilentClientBlocksNobodyAndAHundredAreServedAtOnce() throws Exception {
        try (ControlServer server = open(); SocketChannel silent = connect()) {
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Callable<StatusReport>> clients = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                clients.add(() -> {
                    try (ControlClient c = ControlClient.connect(server.path())) {
                        return c.send(new Request(Request.Op.STATUS, List.of(), Optional.empty())).status().orElseThrow();
                    }
                });
            }
            for (Future<StatusReport> f : pool.invokeAll(clients)) {
                assertEquals(3, f.get().replicas().size());
            }
            pool.close();
            assertTrue(silent.isOpen());
        }
    }
}
