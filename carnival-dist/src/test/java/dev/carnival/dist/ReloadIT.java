package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code carnival reload}, {@code scale} and {@code restart --rolling} through the real command,
 * each change checked in the real processes: the pids that must stay are compared, not assumed.
 */
@Tag(ImageHarness.JDK_FALLBACK)
class ReloadIT {
    @TempDir
    Path dir;

    private static final String SLEEPER = """
            [[service]]
            name = "%s"
            command = "sleep"
            args = ["%s"]
            replicas = %d
            restart = "always"
            stop-timeout-ms = 2000
            """;

    private static String sleeper(String name, String seconds, int replicas) {
        return SLEEPER.formatted(name, seconds, replicas);
    }

    /** A service that runs {@code script} (as written in a TOML string) with sh, then the lines {@code more} of its table. */
    private static String sh(String name, String script, String more) {
        return "[[service]]\nname = \"" + name + "\"\ncommand = \"sh\"\nargs = [\"-c\", \"" + script + "\"]\n" + more;
    }

    /** Writes the config file whole, then renames it into place: the supervisor never reads half of it. */
    private void rewrite(String name, String text) {
        try {
            Path tmp = dir.resolve(name + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void eachActionIsAppliedAndTheUnchangedPidsStay() {
        Control control = new Control(dir);
        String keep = sleeper("keep", "300", 1);
        try (CarnivalProcess c = control.start(keep + sleeper("web", "300", 2) + sleeper("upd", "300", 1)
                + sleeper("sc", "300", 1) + sleeper("gone", "300", 1))) {
            for (String s : List.of("keep", "web", "upd", "sc", "gone")) {
                control.awaitState(s, "running");
            }
            long keepPid = control.pids("keep").getFirst();
            List<Long> web = control.pids("web");
            long upd = control.pids("upd").getFirst();
            long sc = control.pids("sc").getFirst();
            long gone = control.pids("gone").getFirst();

            rewrite(CarnivalProcess.CONFIG, keep + sleeper("web", "301", 2)
                    + sleeper("upd", "300", 1).replace("stop-timeout-ms = 2000", "stop-timeout-ms = 3000")
                    + sleeper("sc", "300", 3) + sleeper("new", "300", 1));
            try (CarnivalProcess r = control.client("reload")) {
                assertEquals(0, r.exitCode(), r.stderr());
                String plan = r.stdout();
                for (String line : List.of("keep +none", "web +restart +2 +args", "upd +update +1 +stop-timeout-ms",
                        "sc +scale +1->3 +replicas", "new +add", "gone +remove")) {
                    assertTrue(plan.lines().anyMatch(l -> l.matches(line + ".*")),
                            line + " in\n" + plan);
                }
                assertTrue(plan.contains("applied: generation 2"), plan);
            }
            assertEquals(List.of(keepPid), control.pids("keep"), "none: same pid");
            assertEquals(List.of(upd), control.pids("upd"), "update: same pid");
            List<Long> webNow = control.pids("web");
            assertEquals(2, webNow.size());
            webNow.forEach(p -> assertFalse(web.contains(p), "restart: new processes"));
            assertTrue(Configs.read(Path.of("/proc/" + webNow.getFirst() + "/cmdline")).contains("301"));
            control.awaitState("sc", "running");
            List<Long> scNow = control.pids("sc");
            assertEquals(3, scNow.size());
            assertEquals(sc, scNow.getFirst(), "scale: the first replica keeps its pid");
            control.awaitState("new", "running");
            assertTrue(control.status().replicas().stream().noneMatch(r -> r.service().equals("gone")));
            Await.until("removed service's process gone", () -> !Signals.alive(gone));
            web.forEach(p -> Await.until("replaced process " + p + " gone", () -> !Signals.alive(p)));
            assertTrue(c.isAlive(), c.stderr());
        }
    }

    @Test
    void anInvalidConfigChangesNothingPrintsEveryProblemAndExits2() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(sleeper("web", "300", 1))) {
            control.awaitState("web", "running");
            List<Long> before = control.pids("web");
            rewrite(CarnivalProcess.CONFIG, sleeper("web", "301", 1).replace("replicas = 1", "replicas = -1")
                    + "\n[[service]]\nname = \"other\"\ncommand = \"sleep\"\nbogus-key = 1\n");
            try (CarnivalProcess r = control.client("reload")) {
                assertEquals(2, r.exitCode(), r.stderr());
                assertTrue(r.stderr().contains("replicas"), r.stderr());
                assertTrue(r.stderr().contains("bogus-key"), r.stderr());
            }
            assertEquals(before, control.pids("web"));
            try (CarnivalProcess r = control.client("status", "--json")) {
                assertTrue(r.stdout().contains("\"generation\":1") || !r.stdout().contains("generation"),
                        r.stdout());
            }
        }
    }

    @Test
    void aRolloutWhoseReplicaIsNeverReadyHaltsAndExits1() {
        Control control = new Control(dir);
        String ready = """
                rollout-timeout-ms = 1500
                [service.readiness]
                exec = ["%s"]
                period-ms = 50
                """;
        try (CarnivalProcess c = control.start(sleeper("web", "300", 2) + ready.formatted("true"))) {
            control.awaitState("web", "running");
            Await.until("web ready", () -> control.status().replicas().stream().allMatch(r -> r.ready()));
            List<Long> before = control.pids("web");
            rewrite(CarnivalProcess.CONFIG, sleeper("web", "301", 2) + ready.formatted("false"));
            try (CarnivalProcess r = control.client("reload", "--json")) {
                assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
                assertTrue(r.stdout().contains("\"result\":\"halted\""), r.stdout());
                assertTrue(r.stdout().contains("\"halted\":\"web/0\""), r.stdout());
            }
            List<Long> now = control.pids("web");
            assertNotEquals(before.getFirst(), now.getFirst());
            assertEquals(before.get(1), now.get(1), "web/1 keeps the old config and its process");
        }
    }

    @Test
    void scaleAtRunTimeAndTheNextReloadReturnsToTheFilesCount() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(sleeper("web", "300", 2))) {
            control.awaitState("web", "running");
            List<Long> before = control.pids("web");
            try (CarnivalProcess s = control.client("scale", "web", "4")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            control.awaitState("web", "running");
            List<Long> four = control.pids("web");
            assertEquals(4, four.size());
            assertEquals(before, four.subList(0, 2));
            try (CarnivalProcess s = control.client("scale", "web", "0")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            four.forEach(p -> assertFalse(Signals.alive(p), "stopped once scale returned: " + p));
            assertTrue(c.isAlive(), c.stderr());
            try (CarnivalProcess r = control.client("reload")) {
                assertEquals(0, r.exitCode(), r.stderr());
                assertTrue(r.stdout().lines().anyMatch(l -> l.matches("web +scale +0->2 .*")), r.stdout());
            }
            control.awaitState("web", "running");
            assertEquals(2, control.pids("web").size());
            try (CarnivalProcess s = control.client("scale", "nope", "1")) {
                assertEquals(2, s.exitCode(), s.stderr());
                assertTrue(s.stderr().contains("unknown service 'nope'"), s.stderr());
            }
        }
    }

    @Test
    void restartRollingReplacesEveryReplica() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(sleeper("web", "300", 3) + sleeper("db", "300", 1))) {
            control.awaitState("web", "running");
            List<Long> before = control.pids("web");
            long db = control.pids("db").getFirst();
            try (CarnivalProcess r = control.client("restart", "--rolling", "web")) {
                assertEquals(0, r.exitCode(), r.stderr());
            }
            List<Long> now = control.pids("web");
            assertEquals(3, now.size());
            now.forEach(p -> assertFalse(before.contains(p)));
            assertEquals(List.of(db), control.pids("db"));
        }
    }

    @Test
    void aYamlConfigReloadsAndADryRunChangesNothing() {
        Control control = new Control(dir);
        String yaml = """
                service:
                  - name: web
                    command: sleep
                    args: ["%s"]
                    replicas: 2
                  - name: db
                    command: sleep
                    args: ["300"]
                """;
        Configs.write(dir, "c.yaml", yaml.formatted("300"));
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_CONTROL_SOCKET", control.socket.toString()),
                "-c", "c.yaml")) {
            Await.until(() -> "socket; log:\n" + c.stderr(), () -> c.stderr().contains("Control socket: ") || !c.isAlive());
            control.awaitState("web", "running");
            List<Long> web = control.pids("web");
            long db = control.pids("db").getFirst();
            rewrite("c.yaml", yaml.formatted("301"));
            try (CarnivalProcess r = control.client("reload", "--dry-run", "--json")) {
                assertEquals(0, r.exitCode(), r.stderr());
                assertTrue(r.stdout().startsWith("{\"ok\":true,\"generation\":1,"), r.stdout());
                assertTrue(r.stdout().contains("{\"service\":\"web\",\"action\":\"restart\""), r.stdout());
            }
            assertEquals(web, control.pids("web"), "a dry run changes nothing");
            try (CarnivalProcess r = control.client("reload", "--json")) {
                assertEquals(0, r.exitCode(), r.stderr());
                assertTrue(r.stdout().startsWith("{\"ok\":true,\"generation\":2,"), r.stdout());
            }
            control.pids("web").forEach(p -> assertFalse(web.contains(p)));
            assertEquals(List.of(db), control.pids("db"));
        }
    }

    /**
     * Children of {@code supervisor} whose command line is exactly {@code sleep SECONDS}, read in
     * /proc: the same test running beside this one on the machine (another build) has its own.
     */
    private static long sleepers(CarnivalProcess supervisor, String seconds) {
        try {
            return ProcessHandle.of(supervisor.pid()).stream().flatMap(ProcessHandle::children)
                    .filter(p -> Configs.read(Path.of("/proc/" + p.pid() + "/cmdline")).equals("sleep\0" + seconds + "\0"))
                    .count();
        } catch (UncheckedIOException e) {
            return -1; // a process that went while it was read: count again
        }
    }

    private void awaitNewPids(Control control, String service, List<Long> old, int count) {
        Await.until(() -> service + " replaced; now " + control.pids(service), () -> {
            List<Long> now = control.pids(service);
            return now.size() == count && now.stream().noneMatch(old::contains);
        });
    }

    @Test
    void theReloadSignalReloadsInsteadOfShuttingDown() {
        Control control = new Control(dir);
        String global = "[global]\nreload-signal = \"SIGHUP\"\n";
        try (CarnivalProcess c = control.start(global + sleeper("web", "300", 1) + sleeper("db", "300", 1))) {
            control.awaitState("web", "running");
            List<Long> web = control.pids("web");
            List<Long> db = control.pids("db");
            rewrite(CarnivalProcess.CONFIG, global + sleeper("web", "302", 1) + sleeper("db", "300", 1));
            c.signal("HUP");
            awaitNewPids(control, "web", web, 1);
            c.awaitLog("Reload (signal SIGHUP) applied: generation 2");
            assertEquals(db, control.pids("db"));
            assertTrue(c.isAlive(), c.stderr());
            assertEquals(2, control.status().generation());
        }
    }

    @Test
    void watchConfigReloadsOnARewriteAndLogsAnInvalidFile() {
        Control control = new Control(dir);
        String global = "[global]\nwatch-config = true\n";
        try (CarnivalProcess c = control.start(global + sleeper("web", "300", 1))) {
            control.awaitState("web", "running");
            c.awaitLog("Watching ");
            List<Long> web = control.pids("web");
            rewrite(CarnivalProcess.CONFIG, global + sleeper("web", "303", 1).replace("replicas = 1", "replicas = x"));
            c.awaitLog("Reload (watch) rejected");
            assertEquals(web, control.pids("web"), "an invalid file changes nothing");
            rewrite(CarnivalProcess.CONFIG, global + sleeper("web", "303", 1));
            awaitNewPids(control, "web", web, 1);
            assertTrue(Configs.read(Path.of("/proc/" + control.pids("web").getFirst() + "/cmdline")).contains("303"));
        }
    }

    @Test
    void watchConfigFollowsAConfigMapSymlinkSwap() throws IOException {
        // The kubelet's layout: c.toml -> ..data/c.toml, ..data -> ..2026_1; an update writes
        // ..2026_2, points ..data_tmp at it and renames ..data_tmp over ..data.
        Path cm = Files.createDirectories(dir.resolve("cm"));
        String global = "[global]\nwatch-config = true\n";
        Files.createDirectories(cm.resolve("..2026_1"));
        Files.writeString(cm.resolve("..2026_1/c.toml"), global + sleeper("web", "300", 1));
        Files.createSymbolicLink(cm.resolve("..data"), Path.of("..2026_1"));
        Files.createSymbolicLink(cm.resolve("c.toml"), Path.of("..data/c.toml"));
        Control control = new Control(dir);
        try (CarnivalProcess c = CarnivalProcess.start(dir, Map.of("CARNIVAL_CONTROL_SOCKET",
                control.socket.toString()), "-c", "cm/c.toml")) {
            Await.until(() -> "socket; log:\n" + c.stderr(), () -> c.stderr().contains("Watching ") || !c.isAlive());
            control.awaitState("web", "running");
            List<Long> web = control.pids("web");
            Files.createDirectories(cm.resolve("..2026_2"));
            Files.writeString(cm.resolve("..2026_2/c.toml"), global + sleeper("web", "304", 1));
            Files.createSymbolicLink(cm.resolve("..data_tmp"), Path.of("..2026_2"));
            Files.move(cm.resolve("..data_tmp"), cm.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            awaitNewPids(control, "web", web, 1);
            c.awaitLog("Reload (watch) applied: generation 2");
        }
    }

    @Test
    void aReloadRacingRestartAndStopFromOtherClientsLosesAndDuplicatesNothing() throws Exception {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(sleeper("web", "3101", 3) + sleeper("db", "3201", 2))) {
            control.awaitState("web", "running");
            control.awaitState("db", "running");
            rewrite(CarnivalProcess.CONFIG, sleeper("web", "3102", 3) + sleeper("db", "3201", 2));
            List<Thread> clients = List.of(
                    Thread.ofPlatform().start(() -> control.client("reload").close()),
                    Thread.ofPlatform().start(() -> control.client("restart", "web").close()),
                    Thread.ofPlatform().start(() -> control.client("stop", "db/1").close()),
                    Thread.ofPlatform().start(() -> control.client("restart", "web/1").close()),
                    Thread.ofPlatform().start(() -> control.client("start", "db/1").close()));
            for (Thread t : clients) {
                t.join();
            }
            try (CarnivalProcess s = control.client("start", "db")) {
                assertEquals(0, s.exitCode(), s.stderr());
            }
            control.awaitState("web", "running");
            control.awaitState("db", "running");
            Await.until(() -> "3 web on the new config, 2 db, nothing else: web " + sleepers(c, "3102") + "/"
                    + sleepers(c, "3101") + ", db " + sleepers(c, "3201"),
                    () -> sleepers(c, "3102") == 3 && sleepers(c, "3101") == 0 && sleepers(c, "3201") == 2);
            assertEquals(3, control.pids("web").size());
            assertEquals(2, control.pids("db").size());
            assertTrue(c.isAlive(), c.stderr());
        }
    }

    /** A captured job that prints NAME-ran on {@code schedule}. */
    private static String job(String name, String schedule) {
        return sh(name, "echo " + name + "-ran", "restart = \"no\"\noutput = \"prefix\"\nschedule = \"" + schedule + "\"\n");
    }

    @Test
    void aJobAReloadAddsOrReschedulesFiresAndItsLinesAreKeptForCarnivalLogs() {
        Control control = new Control(dir);
        try (CarnivalProcess c = control.start(sleeper("web", "300", 1) + job("slow", "0 0 1 1 *"))) {
            control.awaitState("web", "running");
            rewrite(CarnivalProcess.CONFIG, sleeper("web", "300", 1) + job("slow", "* * * * * *")
                    + job("tick", "* * * * * *"));
            try (CarnivalProcess r = control.client("reload")) {
                assertEquals(0, r.exitCode(), r.stderr());
                assertTrue(r.stdout().lines().anyMatch(l -> l.matches("slow +update +1 +schedule")), r.stdout());
                assertTrue(r.stdout().lines().anyMatch(l -> l.matches("tick +add +0->1")), r.stdout());
            }
            for (String job : List.of("slow", "tick")) {
                Await.until(() -> job + " fired on its new schedule; log:\n" + c.stderr(), () -> {
                    try (CarnivalProcess logs = control.client("logs", job)) {
                        return logs.exitCode() == 0 && logs.stdout().contains(job + "[0] | " + job + "-ran");
                    }
                });
            }
            assertTrue(c.isAlive(), c.stderr());
        }
    }

    @Test
    void aMaxMemoryAReloadSetsIsEnforcedAndAnAddedServiceIsSampled() {
        assumeFalse(ImageHarness.jdkProcessControl(), "the JDK fallback gives no process a group of its own to sample");
        Control control = new Control(dir);
        String global = "[global]\nresource-period-ms = 100\n";
        String hog = sh("hog", "x=$(head -c 60000000 /dev/zero | tr '\\\\0' a); sleep 300", "restart = \"always\"\n");
        try (CarnivalProcess c = control.start(global + hog)) {
            control.awaitState("hog", "running");
            Await.until(() -> "hog sampled over 20 MiB; " + control.status(), () -> control.status().replicas().stream()
                    .anyMatch(r -> r.resources() != null && r.resources().memoryBytes() > 40L << 20));
            assertFalse(c.stderr().contains("over max-memory"), c.stderr());
            rewrite(CarnivalProcess.CONFIG, global + hog + "max-memory = \"20MiB\"\nmax-memory-for-ms = 0\n"
                    + sleeper("added", "300", 1));
            try (CarnivalProcess r = control.client("reload")) {
                assertEquals(0, r.exitCode(), r.stderr());
                assertTrue(r.stdout().lines().anyMatch(l -> l.matches("hog +update +1 +max-memory")), r.stdout());
            }
            c.awaitLog("over max-memory 20 MiB for 0 s: stopping");
            Await.until(() -> "added sampled; " + control.status(), () -> control.status().replicas().stream()
                    .anyMatch(r -> r.service().equals("added") && r.resources() != null));
        }
    }

    @Test
    void aDependencyAReloadAddsStopsTheDependentFirstAtShutdown() {
        Control control = new Control(dir);
        // On SIGTERM, db writes whether app had finished stopping by then; app takes its time.
        String db = sh("db", "trap 'if [ -e app.done ]; then echo after > order.tmp; else echo before > order.tmp; fi;"
                + " mv order.tmp order; exit 0' TERM; while :; do sleep 0.1; done", "");
        String app = sh("app", "trap 'sleep 0.5; touch app.done; exit 0' TERM; while :; do sleep 0.1; done", "");
        try (CarnivalProcess c = control.start(db + app)) {
            control.awaitState("db", "running");
            control.awaitState("app", "running");
            rewrite(CarnivalProcess.CONFIG, db + app + "depends-on = [\"db\"]\n");
            try (CarnivalProcess r = control.client("reload")) {
                assertEquals(0, r.exitCode(), r.stderr());
                assertTrue(r.stdout().lines().anyMatch(l -> l.matches("app +update +1 +depends-on")), r.stdout());
            }
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals("after\n", Configs.read(dir.resolve("order")), "db is stopped once app has stopped");
        }
    }

    @Test
    void anOperationOnAServiceTheReloadDoesNotChangeDoesNotWaitForItsRollout() throws Exception {
        Control control = new Control(dir);
        String web = sleeper("web", "%s", 2) + """
                rollout-timeout-ms = 60000
                [service.readiness]
                exec = ["%s"]
                period-ms = 50
                """;
        try (CarnivalProcess c = control.start(web.formatted("300", "true") + sleeper("db", "300", 1))) {
            control.awaitState("web", "running");
            List<Long> before = control.pids("web");
            long db = control.pids("db").getFirst();
            rewrite(CarnivalProcess.CONFIG, web.formatted("301", "false") + sleeper("db", "300", 1));
            CarnivalProcess[] reload = new CarnivalProcess[1];
            Thread client = Thread.ofPlatform().start(() -> reload[0] = control.client("reload"));
            Await.until(() -> "web/0 replaced, never ready: the rollout waits; " + control.status(),
                    () -> !control.pids("web").isEmpty() && !control.pids("web").getFirst().equals(before.getFirst()));
            try (CarnivalProcess r = control.client("restart", "db")) {
                assertEquals(0, r.exitCode(), r.stderr());
            }
            assertTrue(client.isAlive(), "the reload still waits for web/0 to be ready");
            assertNotEquals(db, control.pids("db").getFirst(), "db restarted meanwhile");
            assertEquals(before.get(1), control.pids("web").get(1), "web/1 not replaced yet");
            c.signal("TERM"); // a shutdown ends the rollout
            client.join();
            reload[0].close();
        }
    }

    @Test
    void logLineAndNotifyReadinessWorkOnServicesAReloadAddsOrRemakes() {
        boolean notify = Files.isExecutable(Path.of("/usr/bin/systemd-notify"));
        Control control = new Control(dir);
        String lines = sh("lines", "echo listening; exec sleep 300", "output = \"prefix\"\n");
        String notified = sh("notified", "systemd-notify --ready; exec sleep 300", "[service.readiness]\nnotify = true\n");
        try (CarnivalProcess c = control.start(lines + sleeper("web", "300", 1))) {
            control.awaitState("lines", "running");
            long before = control.pids("lines").getFirst();
            rewrite(CarnivalProcess.CONFIG, lines + "[service.readiness]\nlog-line = \"^listening$\"\n"
                    + sleeper("web", "300", 1) + (notify ? notified : ""));
            try (CarnivalProcess r = control.client("reload")) {
                assertEquals(0, r.exitCode(), r.stderr());
                assertTrue(r.stdout().lines().anyMatch(l -> l.matches("lines +restart +1 +readiness")), r.stdout());
            }
            for (String s : notify ? List.of("lines", "notified") : List.of("lines")) {
                Await.until(() -> s + " ready; " + control.status() + "\n" + c.stderr(), () -> control.status().replicas()
                        .stream().anyMatch(r -> r.service().equals(s) && r.ready()));
            }
            assertNotEquals(before, control.pids("lines").getFirst(), "made again, with its log-line watch");
            try (CarnivalProcess logs = control.client("logs", "lines")) {
                assertEquals(0, logs.exitCode(), logs.stderr());
                assertTrue(logs.stdout().contains("lines[0] | listening"), logs.stdout());
            }
            if (notify) {
                String environ = Configs.read(Path.of("/proc/" + control.pids("notified").getFirst() + "/environ"));
                Path socket = Path.of(Arrays.stream(environ.split("\0")).filter(v -> v.startsWith("NOTIFY_SOCKET="))
                        .findFirst().orElseThrow().substring("NOTIFY_SOCKET=".length()));
                assertTrue(Files.exists(socket), socket.toString());
                rewrite(CarnivalProcess.CONFIG, lines + sleeper("web", "300", 1));
                try (CarnivalProcess r = control.client("reload")) {
                    assertEquals(0, r.exitCode(), r.stderr());
                }
                assertFalse(Files.exists(socket), "a removed replica's sd_notify socket goes with it: " + socket);
            }
        }
    }
}
