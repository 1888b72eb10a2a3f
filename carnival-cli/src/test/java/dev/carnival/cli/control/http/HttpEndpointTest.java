package dev.carnival.cli.control.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.model.ResourceUsage;
import dev.carnival.cli.control.FakeSupervisor;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
    private final FakeSupervisor supervisor = new FakeSupervisor();
    private HttpEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        endpoint = HttpEndpoint.start("127.0.0.1", 0, supervisor);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    /** A response as this test reads it (java.net.http is not among this module's reads). */
    private record Answer(int statusCode, String body, HttpURLConnection connection) {
        String header(String name) {
            return connection.getHeaderField(name);
        }
    }

    private Answer send(String method, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + endpoint.port() + path).toURL().openConnection();
        c.setRequestMethod(method);
        int code = c.getResponseCode();
        try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Answer(code, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8), c);
        }
    }

    @Test
    void livezUntilShutdown() throws Exception {
        assertEquals(200, send("GET", "/livez").statusCode());
        assertEquals("ok\n", send("GET", "/livez").body());
        supervisor.phase = SupervisorStatus.Phase.STOPPING;
        assertEquals(503, send("GET", "/livez").statusCode());
    }

    @Test
    void readyzListsWhatIsNotReady() throws Exception {
        Answer r = send("GET", "/readyz");
        assertEquals(503, r.statusCode());
        assertEquals("db[0] backoff\n", r.body());
        supervisor.set(2, FakeSupervisor.stopped("db", 0));
        assertEquals("db[0] stopped\n", send("GET", "/readyz").body());
    }

    @Test
    void statusIsTheJsonOfTheClient() throws Exception {
        Answer r = send("GET", "/status");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.header("Content-Type"));
        assertTrue(r.body().startsWith("{\"phase\":\"running\",\"generation\":1,\"replicas\":[{\"service\":\"web\",\"replica\":0,\"state\":\"running\",\"pid\":100,"), r.body());
    }

    @Test
    void metricsFollowPrometheusNaming() throws Exception {
        String body = send("GET", "/metrics").body();
        assertTrue(body.contains("# TYPE carnival_replica_restarts_total counter\n"), body);
        assertTrue(body.contains("carnival_replica_restarts_total{replica=\"0\",service=\"db\"} 3.0\n"), body);
        assertTrue(body.contains("carnival_replica_up{replica=\"1\",service=\"web\"} 1.0\n"), body);
        assertTrue(body.contains("carnival_replica_last_exit_code{replica=\"0\",service=\"db\"} 137.0\n"), body);
        assertTrue(body.contains("carnival_replica_probe_failures_total{replica=\"0\",service=\"db\"} 2.0\n"), body);
        assertTrue(body.contains("carnival_supervisor_phase{phase=\"running\"} 1.0\n"), body);
    }

    @Test
    void resourceMetricsCarryTheLatestSample() throws Exception {
        supervisor.set(0, supervisor.status().replicas().getFirst().withResources(
                Optional.of(new ResourceUsage(12.5, 3.25, 50_540_134, Instant.EPOCH)), 2));
        String body = send("GET", "/metrics").body();
        assertTrue(body.contains("# TYPE carnival_replica_cpu_seconds_total counter\n"), body);
        assertTrue(body.contains("carnival_replica_cpu_seconds_total{replica=\"0\",service=\"web\"} 3.25\n"), body);
        assertTrue(body.contains("# TYPE carnival_replica_memory_bytes gauge\n"), body);
        assertTrue(body.contains("carnival_replica_memory_bytes{replica=\"0\",service=\"web\"} 5.0540134E7\n"), body);
        assertTrue(body.contains("carnival_replica_memory_restarts_total{replica=\"0\",service=\"web\"} 2.0\n"), body);
        assertTrue(body.contains("carnival_replica_memory_restarts_total{replica=\"1\",service=\"web\"} 0.0\n"), body);
        assertFalse(body.contains("carnival_replica_memory_bytes{replica=\"1\""), "no sample, no series: " + body);
    }

    @Test
    void getOnlyAndKnownPathsOnly() throws Exception {
        Answer post = send("POST", "/status");
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.header("Allow"));
        assertEquals(405, send("DELETE", "/livez").statusCode());
        assertEquals(404, send("GET", "/restart").statusCode());
        assertEquals(404, send("GET", "/").statusCode());
    }
}
