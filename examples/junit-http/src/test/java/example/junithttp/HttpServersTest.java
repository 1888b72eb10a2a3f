package example.junithttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.junit.CarnivalExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three {@code python3 -m http.server} processes, each ready once it answers HTTP, around a test
 * class. Also measures what the extension adds to the time the servers take to become ready on
 * their own; it prints both and asserts nothing about them.
 */
class HttpServersTest {
    private static final Path SITE = Path.of("site").toAbsolutePath();
    private static final List<Integer> PORTS = List.of(freePort(), freePort(), freePort());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** The servers on their own, measured before the extension starts its own (see {@link #alone()}). */
    private static final long ALONE_BEFORE = alone();
    /** Right before the extension below is made; it starts the servers in its before-all callback. */
    private static final long CLASS_INIT = System.nanoTime();

    @RegisterExtension
    static final CarnivalExtension CARNIVAL = CarnivalExtension.of(CarnivalConfig.of(
            server("web-a", PORTS.get(0)), server("web-b", PORTS.get(1)), server("web-c", PORTS.get(2))));

    private static long throughExtensionNanos;

    static ServiceConfig server(String name, int port) {
        String url = "http://127.0.0.1:" + port + "/hello.txt";
        // Checked every 20 ms from the start, so that the probe's period adds little to the wait.
        ProbeSpec http = new ProbeSpec("http", List.of(url), Map.of(), Duration.ofMillis(20), Duration.ofSeconds(1),
                Duration.ZERO, 1, 3);
        return ServiceConfig.builder(name, "python3").args(command(port).subList(1, command(port).size()))
                .stopTimeout(Duration.ofSeconds(5)).readiness(http).build();
    }

    static List<String> command(int port) {
        return List.of("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1",
                "--directory", SITE.toString());
    }

    @BeforeAll
    static void readyByNow() {
        throughExtensionNanos = System.nanoTime() - CLASS_INIT;
    }

    @Test
    void everyServerAnswersBeforeTheFirstTest(Supervisor supervisor) throws Exception {
        for (int port : PORTS) {
            HttpResponse<String> response = get(port);
            assertEquals(200, response.statusCode());
            assertEquals(Files.readString(SITE.resolve("hello.txt")), response.body());
        }
        assertTrue(supervisor.status().replicas().stream().allMatch(ReplicaStatus::ready));
    }

    @Test
    void aRestartedServerAnswersAgain(Supervisor supervisor) throws Exception {
        supervisor.restart("web-b").get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers(PORTS.get(1))) {
            assertTrue(System.nanoTime() < deadline, "web-b answers again within 60 s");
            Thread.sleep(10);
        }
    }

    /**
     * Prints how long the servers took to be ready through the extension (from this class's
     * initialisation to its first {@code @BeforeAll}: the extension's start, its probes and its
     * wait) beside how long they take on their own, measured once before the extension started
     * them and once now, while they run.
     */
    @Test
    void measuresWhatTheExtensionAdds() {
        long alone = (ALONE_BEFORE + alone()) / 2;
        System.out.printf("http.server x3: ready through the extension in %d ms, on their own in %d ms "
                        + "(mean of %d ms before and %d ms after): the extension adds %d ms%n",
                millis(throughExtensionNanos), millis(alone), millis(ALONE_BEFORE), millis(2 * alone - ALONE_BEFORE),
                millis(throughExtensionNanos - alone));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * The same three servers started with ProcessBuilder on other ports, each polled every 5 ms
     * until it answers: how long the servers themselves take, in nanoseconds.
     */
    private static long alone() {
        if (!onPath("python3")) {
            throw new IllegalStateException("python3 is needed on PATH");
        }
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        List<Process> servers = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int port : ports) {
                servers.add(new ProcessBuilder(command(port)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            long deadline = start + TimeUnit.SECONDS.toNanos(60);
            for (int port : ports) {
                while (!answers(port)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("port " + port + " did not answer within 60 s");
                    }
                    Thread.sleep(5);
                }
            }
            return System.nanoTime() - start;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            for (Process p : servers) {
                p.destroy();
            }
            for (Process p : servers) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<String> get(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello.txt"))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static boolean answers(int port) throws InterruptedException {
        try {
            return get(port).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
