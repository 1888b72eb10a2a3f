package dev.carnival.plugins.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeContext;
import dev.carnival.api.probe.ProbeOptions;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.probe.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each probe against a real listener (or a real command's status, faked for exec) on this machine. */
class ProbesTest {
    private static final Location HERE = new Location("c.toml", 4, 1);

    private record Context(Duration timeout, List<List<String>> execs, ExitStatus status) implements ProbeContext {
        Context(Duration timeout) {
            this(timeout, new java.util.ArrayList<>(), ExitStatus.exited(0));
        }

        @Override
        public ReplicaId replica() {
            return new ReplicaId("web", 0);
        }

        @Override
        public Map<String, String> environment() {
            return Map.of();
        }

        @Override
        public CompletionStage<ExitStatus> exec(List<String> argv) {
            execs.add(argv);
            return CompletableFuture.completedFuture(status);
        }
    }

    private static Probe make(ProbeProvider provider, String target) throws ConfigException {
        return provider.create(new ProbeOptions(List.of(target), Map.of(), HERE));
    }

    private static ProbeResult check(Probe probe, ProbeContext ctx) throws Exception {
        return probe.check(ctx).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void tcpSucceedsWhenAListenerAcceptsAndFailsWhenNoneDoes() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            ProbeResult r = check(make(new TcpProbe(), "127.0.0.1:" + port), new Context(Duration.ofSeconds(5)));
            assertTrue(r.success(), r.toString());
            r = check(make(new TcpProbe(), "localhost:" + port), new Context(Duration.ofSeconds(5)));
            assertTrue(r.success(), "a host name is looked up: " + r);
        }
        ProbeResult r = check(make(new TcpProbe(), "127.0.0.1:" + port), new Context(Duration.ofSeconds(5)));
        assertFalse(r.success(), r.toString());
    }

    @Test
    void tcpRejectsABadAddressAtLoad() {
        for (String bad : List.of("", "host", "host:0", "host:70000", ":80", "host:x")) {
            ConfigException e = assertThrows(ConfigException.class, () -> make(new TcpProbe(), bad), bad);
            assertEquals("c.toml:4:1: tcp probe needs \"host:port\" (port 1-65535), got '" + bad + "'", e.getMessage());
        }
    }

    /** A one-shot HTTP server answering every request with {@code status}; it records the request line. */
    private static final class Server implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final CompletableFuture<String> requestLine = new CompletableFuture<>();

        Server(String statusLine, boolean answer) throws IOException {
            Thread.ofVirtual().start(() -> {
                try (Socket s = socket.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int c = in.read();
                        if (c < 0) {
                            break;
                        }
                        head.append((char) c);
                    }
                    requestLine.complete(head.toString().lines().findFirst().orElse(""));
                    if (!answer) {
                        Thread.sleep(30_000);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 " + statusLine + "\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    requestLine.completeExceptionally(e);
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/healthz";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void httpSucceedsFor2xxAnd3xxWithoutFollowingAndFailsOtherwise() throws Exception {
        for (String status : List.of("200 OK", "302 Found", "503 Service Unavailable", "404 Not Found")) {
            try (Server server = new Server(status, true)) {
                ProbeResult r = check(make(new HttpProbe(), server.url()), new Context(Duration.ofSeconds(10)));
                int code = Integer.parseInt(status.substring(0, 3));
                assertEquals(new ProbeResult(code < 400, "HTTP " + code), r);
                assertEquals("GET /healthz HTTP/1.1", server.requestLine.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void httpFailsAtItsTimeoutWhenTheServerDoesNotAnswer() throws Exception {
        try (Server server = new Server("200 OK", false)) {
            ProbeResult r = check(make(new HttpProbe(), server.url()), new Context(Duration.ofMillis(300)));
            assertFalse(r.success(), r.toString());
        }
    }

    @Test
    void httpRejectsABadUrlAtLoad() {
        ConfigException e = assertThrows(ConfigException.class, () -> make(new HttpProbe(), "ftp://x/"));
        assertEquals("c.toml:4:1: http probe needs an http:// or https:// URL with a host, got 'ftp://x/'", e.getMessage());
    }

    @Test
    void execRunsTheArgvThroughTheContextAndPassesOnExitZero() throws Exception {
        Context ok = new Context(Duration.ofSeconds(1));
        Probe p = new ExecProbe().create(new ProbeOptions(List.of("pg_isready", "-h", "127.0.0.1"), Map.of(), HERE));
        assertEquals(ProbeResult.success(ExitStatus.exited(0).describe()), check(p, ok));
        assertEquals(List.of(List.of("pg_isready", "-h", "127.0.0.1")), ok.execs());
        Context failing = new Context(Duration.ofSeconds(1), new java.util.ArrayList<>(), ExitStatus.exited(1));
        assertFalse(check(p, failing).success());
        assertThrows(ConfigException.class, () -> new ExecProbe().create(new ProbeOptions(List.of(), Map.of(), HERE)));
    }
}
