package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket under faults a production container meets: running out of file descriptors
 * (the limit lowered on the running supervisor, or started low) is a passing condition, and a
 * client that never reads its answer is disconnected.
 */
class ControlSocketFaultsIT {
    private static final String PRLIMIT = "/usr/bin/prlimit";
    private static final byte[] STATUS = "{\"op\":\"status\"}\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private static String replicas(int n) {
        return """
                [[service]]
                name = "web"
                command = "sleep"
                args = ["1000"]
                replicas = %d
                output = "prefix"
                """.formatted(n);
    }

    private CarnivalProcess start(Control control, List<String> wrapper, String toml) {
        CarnivalProcess c = CarnivalProcess.startWrapped(wrapper, dir,
                Map.of("CARNIVAL_CONTROL_SOCKET", control.socket.toString()), CarnivalProcess.withConfig(dir, toml));
        Await.until(() -> "control socket; log:\n" + c.stderr(),
                () -> c.stderr().contains("Control socket: " + control.socket) || !c.isAlive());
        return c;
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(Pattern.quote(regex)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void prlimit(long pid, String nofile) throws IOException, InterruptedException {
        ImageHarness.Result r = ImageHarness.run(ImageHarness.Spec.inherit(Path.of(".")),
                PRLIMIT, "--pid", Long.toString(pid), "--nofile=" + nofile);
        assertEquals(0, r.exit(), r.toString());
    }

    /** Connects and sends nothing yet: the supervisor's side has to wait for data. */
    private SocketChannel silentClient(Control control) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(control.socket));
        return ch;
    }

    private static String ask(SocketChannel ch) throws IOException {
        ch.write(ByteBuffer.wrap(STATUS));
        ByteBuffer in = ByteBuffer.allocate(1 << 20);
        while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
            if (ch.read(in) < 0) {
                break;
            }
        }
        return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
    }

    @Test
    void descriptorsRunningOutWhileRunningMakeClientsFailAndTheSocketAnswersOnceTheyAreBack() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PRLIMIT)), "needs prlimit (util-linux)");
        Control control = new Control(dir);
        List<SocketChannel> held = new ArrayList<>();
        try (CarnivalProcess c = start(control, List.of(), replicas(100))) {
            Await.until(() -> "100 replicas; log:\n" + c.stderr(), () -> count(c.stderr(), "] started with PID") == 100);
            String[] limits = Configs.read(Path.of("/proc/" + c.pid() + "/limits")).lines()
                    .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().split("\\s+");
            prlimit(c.pid(), "64:" + limits[4]); // far below the 200 pipes the replicas' output takes
            // Each connection kept open holds one of the few descriptors left below the limit,
            // until there is none: then a client is told, through the one kept in reserve.
            String answer = "";
            while (held.size() < 64) {
                SocketChannel ch = silentClient(control);
                held.add(ch);
                answer = ask(ch);
                if (!answer.startsWith("{\"ok\":true")) {
                    break;
                }
            }
            assertTrue(answer.contains("Carnival is out of file descriptors; try again"), answer);
            for (int i = 0; i < 2; i++) {
                try (CarnivalProcess s = control.client("status")) {
                    assertEquals(1, s.exitCode(), s.stdout() + s.stderr());
                    assertEquals("carnival: Carnival is out of file descriptors; try again\n", s.stderr());
                }
            }
            prlimit(c.pid(), limits[3] + ":" + limits[4]);
            try (SocketChannel waiting = silentClient(control); CarnivalProcess s = control.client("status")) {
                assertEquals(0, s.exitCode(), s.stderr());
                assertTrue(s.stdout().contains("web      99 "), s.stdout());
                assertTrue(ask(waiting).startsWith("{\"ok\":true"));
            }
            String log = c.stderr();
            assertEquals(1, count(log, "out of file descriptors; clients get an error until some are free"), log);
            assertEquals(1, count(log, "file descriptors are free again; answering clients"), log);
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            c.assertNoStackTrace();
        } finally {
            for (SocketChannel ch : held) {
                ch.close();
            }
        }
    }

    @Test
    void startedWithSixtyFourDescriptorsTheSocketAnswersAClientThatMakesItWait() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PRLIMIT)), "needs prlimit (util-linux)");
        Control control = new Control(dir);
        try (CarnivalProcess c = start(control, List.of(PRLIMIT, "--nofile=64", "--"), replicas(5))) {
            try (SocketChannel waiting = silentClient(control)) {
                try (CarnivalProcess s = control.client("status")) {
                    assertEquals(0, s.exitCode(), s.stderr());
                }
                assertTrue(ask(waiting).startsWith("{\"ok\":true"));
            }
            try (CarnivalProcess s = control.client("status")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            c.assertNoStackTrace();
        }
    }

    @Test
    void aClientThatNeverReadsItsAnswersIsDisconnectedAndOthersAreStillAnswered() throws Exception {
        Control control = new Control(dir);
        try (CarnivalProcess c = start(control, List.of(), replicas(20));
             SocketChannel greedy = silentClient(control)) {
            // Requests without end, answers never read: the supervisor's writes fill the socket and
            // stop; then ours do; the write deadline ends the connection, which fails our write.
            CompletableFuture<IOException> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    while (true) {
                        greedy.write(ByteBuffer.wrap(STATUS));
                    }
                } catch (IOException e) {
                    return e;
                }
            });
            try (CarnivalProcess s = control.client("status")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            Await.until("the supervisor to disconnect the client that does not read", writer::isDone);
            assertTrue(writer.get() != null);
            try (CarnivalProcess s = control.client("status")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }
}
