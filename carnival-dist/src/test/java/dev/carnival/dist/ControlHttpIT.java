package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only HTTP endpoint of the real command, through a real HTTP client. */
class ControlHttpIT {
    /** A sample line of the text format: name, optional labels, a value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(int port, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyPathWithAReadinessThatFlipsWhenAReplicaStops() throws Exception {
        int port = freePort();
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start("[global]\nhttp-listen = \"127.0.0.1:" + port + "\"\n" + """
                [[service]]
                name = "web"
                command = "sleep"
                args = ["300"]
                [[service]]
                name = "worker"
                command = "sleep"
                args = ["300"]
                """)) {
            c.awaitLog("HTTP endpoint: http://127.0.0.1:" + port + "/");
            control.awaitState("worker", "running");
            control.awaitState("web", "running");
            assertEquals("ok\n", get(port, "GET", "/livez").body());
            HttpResponse<String> ready = get(port, "GET", "/readyz");
            assertEquals(200, ready.statusCode(), ready.body());

            HttpResponse<String> status = get(port, "GET", "/status");
            assertEquals(200, status.statusCode());
            assertEquals(2, Control.parse(status.body()).replicas().size());
            try (CarnivalProcess json = control.client("status", "--json")) {
                json.exitCode();
                assertEquals(Control.parse(json.stdout()).phase(), Control.parse(status.body()).phase());
            }

            Map<String, Double> metrics = metrics(get(port, "GET", "/metrics").body());
            assertEquals(1.0, metrics.get("carnival_replica_up{replica=\"0\",service=\"web\"}"));
            assertEquals(1.0, metrics.get("carnival_replica_ready{replica=\"0\",service=\"worker\"}"));
            assertEquals(0.0, metrics.get("carnival_replica_restarts_total{replica=\"0\",service=\"web\"}"));
            assertEquals(0.0, metrics.get("carnival_replica_probe_failures_total{replica=\"0\",service=\"web\"}"));
            assertEquals(1.0, metrics.get("carnival_supervisor_phase{phase=\"running\"}"));
            assertEquals(1.0, metrics.get("carnival_config_generation"));
            for (String result : new String[] {"applied", "invalid", "halted"}) {
                assertEquals(0.0, metrics.get("carnival_reloads_total{result=\"" + result + "\"}"), result);
            }

            long worker = control.pids("worker").getFirst();
            Signals.send("KILL", worker);
            control.awaitState("worker", "stopped");
            HttpResponse<String> notReady = get(port, "GET", "/readyz");
            assertEquals(503, notReady.statusCode());
            assertEquals("worker[0] stopped\n", notReady.body());
            metrics = metrics(get(port, "GET", "/metrics").body());
            assertEquals(137.0, metrics.get("carnival_replica_last_exit_code{replica=\"0\",service=\"worker\"}"));
            assertEquals(0.0, metrics.get("carnival_replica_up{replica=\"0\",service=\"worker\"}"));

            for (String method : List.of("POST", "PUT", "DELETE")) {
                assertEquals(405, get(port, method, "/status").statusCode(), method);
            }
            assertEquals(404, get(port, "GET", "/stop").statusCode());
            assertTrue(Signals.alive(control.pids("web").getFirst()), "nothing over HTTP stopped anything");
        }
    }

    /** Parses the text exposition format strictly: every line a comment (HELP, TYPE) or a sample; counters end in _total. */
    static Map<String, Double> metrics(String text) {
        Map<String, Double> samples = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
                if (parts[3].equals("counter")) {
                    assertTrue(parts[2].endsWith("_total"), "a counter's name ends in _total: " + line);
                }
            } else if (line.startsWith("# HELP ")) {
                assertFalse(line.substring(7).isBlank());
            } else if (!line.isEmpty()) {
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "a sample line: " + line);
                assertTrue(types.containsKey(m.group(1)), "sample after its TYPE: " + line);
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    @Test
    void withoutHttpListenNoHttpClassIsLoaded() throws Exception {
        Path classes = dir.resolve("classes.txt");
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_JAVA_OPTS", "-Xlog:class+load:file=" + classes),
                CarnivalProcess.withConfig(dir, Configs.ONE_TRUE_SERVICE))) {
            assertEquals(0, c.exitCode(), c.stderr());
        }
        String loaded = Configs.read(classes);
        assertTrue(loaded.contains("dev.carnival.cli.Main"), "the log lists classes");
        for (String prefix : List.of("com.sun.net.httpserver.", "sun.net.httpserver.", "io.prometheus.", "dev.carnival.cli.control.http.")) {
            assertFalse(loaded.contains(" " + prefix), prefix + " loaded without http-listen");
        }
    }
}
