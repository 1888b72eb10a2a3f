package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.Reaping;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.process.Await;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.JdkProcessControl;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.compose.ProcessControls;
import dev.carnival.runtime.process.SpawnRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Run in its own JVM by {@link OrphanReapingTest}, as PID 1 of a new PID namespace or as a child
 * subreaper: it must own orphan reaping for the whole process, which a shared test JVM cannot
 * give it. Prints what it saw; exit code 0 means every check passed.
 */
public final class OrphanReapingMain {
    private static final Environment ENV = Environment.of(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
    private static final long SELF = ProcessHandle.current().pid();

    private OrphanReapingMain() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("unregistered")) {
            try {
                unregistered();
                System.out.println("PASS");
                System.exit(0);
            } catch (AssertionError e) {
                System.out.println("FAIL: " + e.getMessage());
                System.exit(1);
            }
        }
        Path tmp = Files.createTempDirectory("carnival-orphans");
        if (args[0].equals("leftovers-jdk")) {
            try (ProcessControl control = new JdkProcessControl(null, Reaping.ORPHANS)) {
                leftovers(control, tmp);
                System.out.println("PASS");
                System.exit(0);
            } catch (AssertionError e) {
                System.out.println("FAIL: " + e.getMessage());
                System.exit(1);
            }
        }
        try (ProcessControl control = ProcessControls.open(Reaping.ORPHANS)) {
            System.out.println("pid " + SELF + ", " + control.description());
            if (!(control instanceof LinuxProcessControl linux)) {
                System.out.println("FAIL: native process control did not load");
                System.exit(1);
                return;
            }
            switch (args[0]) {
                case "zombies" -> zombies(linux, tmp);
                case "churn" -> churn(linux);
                case "leftovers" -> leftovers(linux, tmp);
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("PASS");
            System.exit(0);
        } catch (AssertionError e) {
            System.out.println("FAIL: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Orphans become our children and are reaped soon after they exit. */
    private static void zombies(LinuxProcessControl control, Path tmp) throws Exception {
        List<Long> orphans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path pidFile = tmp.resolve("orphan" + i);
            ChildProcess maker = control.spawn(new SpawnRequest(
                    List.of("sh", "-c", "(sleep 1000 & echo $! > \"$1\"); exit 0", "sh", pidFile.toString()), ENV, null));
            check(exit(maker).equals(new ExitStatus.Exited(0)), "orphan maker exited 0");
            orphans.add(Long.parseLong(Await.line(pidFile)));
        }
        for (long orphan : orphans) {
            Await.until("orphan " + orphan + " to be re-parented to us", () -> ppid(orphan).orElse(-1L) == SELF);
            long killed = System.nanoTime();
            ProcessHandle.of(orphan).orElseThrow().destroyForcibly();
            // Reaped means gone from /proc; a zombie would keep its entry.
            Await.until("orphan " + orphan + " to be reaped", Duration.ofSeconds(5),
                    () -> Files.notExists(Path.of("/proc/" + orphan)));
            System.out.printf("orphan %d reaped %.0f ms after SIGKILL%n", orphan, (System.nanoTime() - killed) / 1e6);
        }
        check(control.orphansReaped() >= orphans.size(), "reaped " + control.orphansReaped() + " orphans");
        awaitNoZombieChildren();
    }

    /**
     * What a service leaves behind when it exits is stopped by stopDescendants: a daemon in its
     * group, one that left with setsid, one that ignores SIGTERM (so it needs SIGKILL), and one
     * that traps SIGTERM and so shows it had the chance to stop gracefully.
     */
    private static void leftovers(ProcessControl control, Path tmp) throws Exception {
        String script = """
                cd "$1"
                sleep 1000 & echo $! > a
                setsid sh -c 'echo $$ > b; exec sleep 1000' &
                sh -c 'trap "" TERM; echo $$ > c; exec sleep 1000' &
                sh -c 'trap "echo stopped > d.term; exit 0" TERM; echo $$ > d; while :; do sleep 0.1; done' &
                exit 0
                """;
        ChildProcess maker = control.spawn(new SpawnRequest(List.of("sh", "-c", script, "sh", tmp.toString()), ENV, null));
        check(exit(maker).equals(new ExitStatus.Exited(0)), "the service exited 0");
        List<Long> left = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            left.add(Long.parseLong(Await.line(tmp.resolve(name))));
        }
        for (long pid : left) {
            Await.until("pid " + pid + " to be re-parented to us", () -> ppid(pid).orElse(-1L) == SELF);
        }
        Duration grace = Duration.ofMillis(500);
        long t0 = System.nanoTime();
        int stopped = control.stopDescendants(grace);
        long took = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("stopDescendants stopped " + stopped + " processes in " + took + " ms");
        check(stopped >= 4, "at least the four leftovers were signalled, not " + stopped);
        check(took >= grace.toMillis(), "the one that ignores SIGTERM was given the grace period");
        for (long pid : left) {
            Await.until("pid " + pid + " to be gone", Duration.ofSeconds(10),
                    () -> stat(pid).map(st -> st[0].equals("Z")).orElse(true));
        }
        check(Files.exists(tmp.resolve("d.term")), "the one that traps SIGTERM got it");
        check(control.stopDescendants(grace) == 0, "nothing left to stop the second time");
    }

    /**
     * With orphans exiting all the time, every managed child's status still reaches its own
     * future, exactly once; the original's waitpid(-1) reaper lost some of them (255).
     */
    private static void churn(LinuxProcessControl control) throws Exception {
        List<ChildProcess> churners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // Each (true &) leaves an orphan that exits at once; stops by itself if we die.
            churners.add(control.spawn(new SpawnRequest(List.of("sh", "-c",
                    "while kill -0 \"$1\" 2>/dev/null; do (true &); done", "sh", Long.toString(SELF)), ENV, null)));
        }
        Await.until("churn to produce orphans", () -> control.orphansReaped() > 50);
        long before = control.orphansReaped();

        Map<Long, AtomicInteger> completions = new ConcurrentHashMap<>();
        List<CompletableFuture<ExitStatus>> exits = new ArrayList<>();
        List<Thread> spawners = new ArrayList<>();
        List<ChildProcess> managed = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int thread = t;
            spawners.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 25; i++) {
                    List<String> argv = (i + thread) % 2 == 0 ? List.of("true") : List.of("sh", "-c", "exit 0");
                    try {
                        managed.add(control.spawn(new SpawnRequest(argv, ENV, null)));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        for (Thread t : spawners) {
            t.join();
        }
        check(managed.size() == 100, "spawned " + managed.size() + " managed children");
        for (ChildProcess child : managed) {
            AtomicInteger count = completions.computeIfAbsent(child.pid(), p -> new AtomicInteger());
            exits.add(child.onExit().whenComplete((s, e) -> count.incrementAndGet()));
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < managed.size(); i++) {
            ExitStatus status = exits.get(i).get(60, TimeUnit.SECONDS); // throws if lost
            if (!status.equals(new ExitStatus.Exited(0))) {
                wrong.add(managed.get(i).pid() + ": " + status.describe());
            }
        }
        check(wrong.isEmpty(), "managed statuses all Exited(0); wrong: " + wrong);
        check(completions.values().stream().allMatch(c -> c.get() == 1), "each status delivered exactly once");
        long during = control.orphansReaped() - before;
        System.out.println("100 managed children all Exited(0) while " + during + " orphans were reaped");
        check(during > 0, "orphans were reaped while managed children ran");

        for (ChildProcess c : churners) {
            c.signalGroup(Signal.KILL);
            check(exit(c).equals(new ExitStatus.Killed(9)), "churner killed");
        }
        awaitNoZombieChildren();
    }

    /**
     * A managed child that is already a zombie when the reaper wakes, before its spawn has
     * registered it, is still reported as managed, not reaped as an orphan: the reaper must wait
     * for the spawn under way. (The reaper is used directly, to hold the registration back.)
     */
    private static void unregistered() throws Exception {
        OrphanReaper reaper = new OrphanReaper();
        PosixSpawner spawner = new PosixSpawner();
        // A child that stays, so the reaper sits in waitid (with none it waits for a registration).
        int stayer = spawner.spawn(new SpawnRequest(List.of("sleep", "1000"), ENV, null)).pid();
        LinuxChild staying = reaper.start(() -> new Reaper.Started(stayer, CompletableFuture.completedFuture(null), () -> {}));
        for (int i = 0; i < 3; i++) {
            LinuxChild child = reaper.start(() -> {
                int pid = spawner.spawn(new SpawnRequest(List.of("sh", "-c", "exit 7"), ENV, null)).pid();
                // The exit wakes the reaper now, while this spawn still holds the gate; the zombie
                // must stay until the spawn has registered it.
                Await.until("pid " + pid + " to be a zombie, or gone as an orphan",
                        () -> stat(pid).map(st -> st[0].equals("Z")).orElse(false) || reaper.orphansReaped() > 0);
                check(reaper.orphansReaped() == 0, "pid " + pid + " was reaped as an orphan before its spawn registered it");
                return new Reaper.Started(pid, CompletableFuture.completedFuture(null), () -> {});
            });
            check(exit(child).equals(new ExitStatus.Exited(7)), "pid " + child.pid() + " reported as managed, exit 7");
        }
        check(reaper.orphansReaped() == 0, "nothing reaped as an orphan, but " + reaper.orphansReaped());
        staying.signalGroup(Signal.KILL);
        check(exit(staying).equals(new ExitStatus.Killed(9)), "the staying child killed");
        awaitNoZombieChildren();
        reaper.close();
        spawner.close();
    }

    private static void awaitNoZombieChildren() {
        Await.until("no zombie children left", Duration.ofSeconds(5), () -> zombieChildren().isEmpty());
    }

    private static List<Long> zombieChildren() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString())
                    .filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> stat(pid).map(s -> s[0].equals("Z") && Long.parseLong(s[1]) == SELF).orElse(false))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<Long> ppid(long pid) {
        return stat(pid).map(s -> Long.parseLong(s[1]));
    }

    /** Fields of /proc/PID/stat after "(comm)": state, ppid, ... */
    private static Optional<String[]> stat(long pid) {
        try {
            return Await.read(Path.of("/proc/" + pid + "/stat"))
                    .filter(s -> !s.isEmpty())
                    .map(s -> s.substring(s.lastIndexOf(')') + 2).split(" "));
        } catch (java.io.UncheckedIOException e) {
            // The process went away between listing /proc and reading it (ESRCH): it is no zombie of ours.
            return Optional.empty();
        }
    }

    private static ExitStatus exit(ChildProcess child) throws Exception {
        return child.onExit().get(60, TimeUnit.SECONDS);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
