package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** depends-on, readiness and liveness through the real command, against real listeners started here. */
class OrchestrationIT {
    /** A service that notes it ran in {@code order}, then runs until stopped. */
    private static String service(String name, String extra) {
        return "[[service]]\nname = \"" + name + "\"\ncommand = \"sh\"\n"
                + "args = [\"-c\", \"echo " + name + " >> order; exec sleep 60\"]\n" + extra;
    }

    @TempDir
    Path dir;

    private List<String> order() {
        return Configs.read(dir.resolve("order")).lines().toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void startedWaitsForEveryReplicaOfTheDependencyToRun() {
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir,
                service("web", "depends-on = { db = \"started\" }\n") + service("db", "replicas = 2\n"))) {
            Await.until("all three run", () -> order().size() == 3);
            assertEquals(List.of("db", "db", "web"), order());
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void readyWaitsForATcpListenerToAccept() throws IOException {
        int port = freePort();
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, service("db", """
                [service.readiness]
                tcp = "127.0.0.1:%d"
                period-ms = 100
                """.formatted(port)) + service("web", "depends-on = [\"db\"]\n"))) {
            c.awaitLog("web[0] waiting for db (ready)");
            Await.until("db runs", () -> order().contains("db"));
            assertFalse(order().contains("web"), "nothing listens yet: db cannot be ready");
            try (ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                c.awaitLog("db[0] is ready");
                Await.until("web starts", () -> order().contains("web"));
            }
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void readyWaitsForAnHttpProbeToAnswer2xxAndLivenessRestartsOnErrors() throws IOException {
        AtomicInteger readyStatus = new AtomicInteger(503);
        AtomicInteger liveStatus = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/ready", x -> {
            x.sendResponseHeaders(readyStatus.get(), -1);
            x.close();
        });
        server.createContext("/healthz", x -> {
            x.sendResponseHeaders(liveStatus.get(), -1);
            x.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, service("db", """
                restart = "always"
                restart-delay-ms = 0
                [service.readiness]
                http = "%s/ready"
                period-ms = 100
                [service.liveness]
                http = "%s/healthz"
                period-ms = 100
                failure-threshold = 2
                """.formatted(base, base)) + service("web", "depends-on = [\"db\"]\n"))) {
            c.awaitLog("web[0] waiting for db (ready)");
            Await.until("db runs", () -> order().contains("db"));
            assertFalse(order().contains("web"), "503 is not ready");
            readyStatus.set(302);
            Await.until("web starts once db answers 302", () -> order().contains("web"));
            liveStatus.set(500);
            c.awaitLog("db[0] failed its liveness probe 2 times (HTTP 500), stopping it");
            liveStatus.set(200);
            Await.until("db restarted", () -> order().stream().filter("db"::equals).count() == 2);
            assertEquals(1, order().stream().filter("web"::equals).count(), "no cascading restart: web keeps running");
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void execProbesRunWithTheReplicasEnvironment() throws IOException {
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, service("db", """
                replicas = 2
                [service.readiness]
                exec = ["sh", "-c", "test -f ready-$CARNIVAL_REPLICA_ID"]
                period-ms = 100
                """) + service("web", "depends-on = { db = \"ready\" }\n"))) {
            c.awaitLog("web[0] waiting for db (ready)");
            Files.writeString(dir.resolve("ready-0"), "");
            c.awaitLog("db[0] is ready");
            assertFalse(order().contains("web"), "db[1] is not ready yet");
            Files.writeString(dir.resolve("ready-1"), "");
            Await.until("web starts", () -> order().contains("web"));
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void completedRunsAMigrationToTheEndFirst() {
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, """
                [[service]]
                name = "migrate"
                command = "sh"
                args = ["-c", "sleep 0.3; echo migrate >> order"]
                """ + service("web", "depends-on = { migrate = \"completed\" }\n"))) {
            Await.until("web starts", () -> order().contains("web"));
            assertEquals(List.of("migrate", "web"), order());
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void aFailedDependencyStopsACriticalDependentAndCarnivalExitsWithItsCode() {
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, """
                [[service]]
                name = "migrate"
                command = "sh"
                args = ["-c", "exit 3"]
                """ + service("web", "critical = true\ndepends-on = { migrate = \"completed\" }\n")
                + service("other", ""))) {
            assertEquals(3, c.exitCode(), c.stderr());
            assertFalse(order().contains("web"), "web never runs");
            assertTrue(c.stderr().contains("web[0] stopped: dependency failed: migrate[0] exited with code 3"), c.stderr());
            c.assertNoStackTrace();
        }
    }

    @Test
    void aDependencyKilledBySignalGives128PlusN() {
        try (CarnivalProcess c = CarnivalProcess.runConfig(dir, """
                [[service]]
                name = "db"
                command = "sh"
                args = ["-c", "sleep 0.3; kill -9 $$"]
                [service.readiness]
                exec = ["false"]
                period-ms = 50
                """ + service("web", "critical = true\ndepends-on = [\"db\"]\n"))) {
            assertEquals(137, c.exitCode(), c.stderr());
            // The JDK fallback cannot tell a signal from exit code 128+N: only the exit code is the same for both.
            assertTrue(c.stderr().contains("web[0] stopped: dependency failed: db[0] "), c.stderr());
        }
    }

    @Test
    void shutdownStopsDependentsFirstAndTheDependencyOnlyAfterTheyExited() {
        String db = """
                [[service]]
                name = "db"
                command = "sh"
                args = ["-c", "echo db >> order; trap 'echo db-term >> order; exit 0' TERM; while :; do sleep 0.05; done"]
                """;
        String web = """
                [[service]]
                name = "web"
                command = "sh"
                args = ["-c", "echo web >> order; trap 'sleep 0.5; echo web-exit >> order; exit 0' TERM; while :; do sleep 0.05; done"]
                depends-on = ["db"]
                """;
        try (CarnivalProcess c = CarnivalProcess.startConfig(dir, db + web + service("other", ""))) {
            Await.until("all run", () -> order().size() == 3);
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            List<String> after = order().subList(3, order().size());
            assertEquals(List.of("web-exit", "db-term"), after, "db gets TERM only once web has exited");
        }
    }

    @Test
    void theYamlExampleRunsInDependencyOrderToTheEnd() {
        Path yaml = ExampleIT.EXAMPLES.resolve("orchestration.yaml").toAbsolutePath();
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", yaml.toString())) {
            assertEquals(0, c.exitCode(), c.stderr());
            String out = c.stdout();
            assertTrue(out.indexOf("migrated") >= 0 && out.indexOf("migrated") < out.indexOf("web serving"), out);
            assertTrue(c.stderr().indexOf("db[0] is ready") < c.stderr().indexOf("migrate[0] started"), c.stderr());
        }
    }

    @Test
    void checkPrintsTheStartOrderAndTheProbes() {
        try (CarnivalProcess c = CarnivalProcess.run(dir, CarnivalProcess.withConfig(dir,
                service("web", "depends-on = { db = \"ready\", migrate = \"completed\" }\n")
                        + service("migrate", "depends-on = [\"db\"]\n")
                        + service("db", "[service.readiness]\ntcp = \"127.0.0.1:5432\"\n"), "check"))) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stdout().contains("start order: db -> migrate -> web\n"), c.stdout());
            assertTrue(c.stdout().contains("  depends-on: db (ready), migrate (completed)\n"), c.stdout());
            assertTrue(c.stdout().contains("  readiness: tcp 127.0.0.1:5432 period-ms=1000 timeout-ms=1000"
                    + " initial-delay-ms=0 success-threshold=1 failure-threshold=3\n"), c.stdout());
        }
    }
}
