package dev.carnival.cli.control.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.carnival.api.Supervisor;
import dev.carnival.runtime.supervise.CarnivalSupervisor;
import java.util.function.ToLongFunction;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.cli.control.ControlException;
import dev.carnival.cli.control.Json;
import dev.carnival.cli.control.StatusJson;
import dev.carnival.cli.control.StatusReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The read-only HTTP endpoint: {@code /livez}, {@code /readyz}, {@code /status}, {@code /metrics};
 * GET only. Nothing here changes the supervisor: HTTP has no owner-only permission as the socket
 * file has, so whoever reaches the port could otherwise stop services. Loaded only when
 * {@code http-listen} is set.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supervisor supervisor;
    private final Metrics metrics;

    private HttpEndpoint(HttpServer server, ExecutorService executor, Supervisor supervisor) {
        this.server = server;
        this.executor = executor;
        this.supervisor = supervisor;
        // The command's own supervisor counts its reloads; an embedder's reports none.
        ToLongFunction<String> reloads = result -> 0;
        if (supervisor instanceof CarnivalSupervisor c) {
            reloads = c.reloads()::count;
        }
        this.metrics = new Metrics(reloads);
    }

    /** Listens on {@code address} (resolved here) and serves until {@link #close()}. */
    public static HttpEndpoint start(String host, int port, Supervisor supervisor) throws ControlException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new ControlException("http-listen: unknown host '" + host + "'");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new ControlException("http-listen " + host + ":" + port + ": " + e.getMessage(), e);
        }
        // Two threads: probes and scrapes are small and rare, and a status snapshot never blocks.
        ExecutorService executor = Executors.newFixedThreadPool(2,
                r -> Thread.ofPlatform().daemon().name("carnival-http").unstarted(r));
        HttpEndpoint endpoint = new HttpEndpoint(server, executor, supervisor);
        server.setExecutor(executor);
        server.createContext("/", endpoint::handle);
        server.start();
        return endpoint;
    }

    /** The port listened on (the one asked for, or the one chosen for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = switch (path) {
                case "/livez", "/readyz", "/status", "/metrics" -> true;
                default -> false;
            };
            if (!known) {
                send(exchange, 404, TEXT, "not found: " + path + " (paths: /livez /readyz /status /metrics)\n");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, TEXT, "method not allowed: " + exchange.getRequestMethod() + " (GET only)\n");
                return;
            }
            SupervisorStatus status = supervisor.status();
            switch (path) {
                case "/livez" -> {
                    boolean live = status.phase() != SupervisorStatus.Phase.STOPPING
                            && status.phase() != SupervisorStatus.Phase.STOPPED;
                    send(exchange, live ? 200 : 503, TEXT, live ? "ok\n" : "shutting down\n");
                }
                case "/readyz" -> readyz(exchange, StatusReport.of(status));
                case "/status" -> send(exchange, 200, "application/json",
                        new String(Json.line(g -> StatusJson.write(StatusReport.of(status), g)), StandardCharsets.UTF_8));
                default -> {
                    byte[] body = metrics.scrape(StatusReport.of(status));
                    send(exchange, 200, Metrics.CONTENT_TYPE, body);
                }
            }
        }
    }

    private static void readyz(HttpExchange exchange, StatusReport report) throws IOException {
        StringBuilder why = new StringBuilder();
        if (!report.phase().equals(SupervisorStatus.Phase.RUNNING.id())) {
            why.append("supervisor ").append(report.phase()).append('\n');
        }
        for (StatusReport.Row r : report.unhealthy()) {
            why.append(r.label()).append(' ').append(r.state()).append(r.state().equals("running") ? " (not ready)" : "")
                    .append('\n');
        }
        if (why.isEmpty()) {
            send(exchange, 200, TEXT, "ok\n");
        } else {
            send(exchange, 503, TEXT, why.toString());
        }
    }

    private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
        send(exchange, code, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
