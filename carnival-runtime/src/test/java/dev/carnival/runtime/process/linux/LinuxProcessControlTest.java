package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.Reaping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.process.Await;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.compose.ProcessControls;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only native process control can do: sessions, clean signal state and fds, real signal statuses. */
class LinuxProcessControlTest {
    private static final Environment ENV = Environment.of(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));

    @TempDir
    Path tmp;

    private final List<ProcessControl> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(ProcessControl::close);
    }

    private ProcessControl open() {
        return track(LinuxProcessControl.open(Reaping.OWN_CHILDREN));
    }

    /** Wraps a control so that every child it starts is killed after the test, pass or fail. */
    private ProcessControl track(LinuxProcessControl c) {
        ProcessControl tracking = new ProcessControl() {
            private final List<ChildProcess> children = new ArrayList<>();

            @Override
            public String description() {
                return c.description();
            }

            @Override
            public synchronized ChildProcess spawn(SpawnRequest request) throws SpawnException {
                ChildProcess child = c.spawn(request);
                children.add(child);
                return child;
            }

            @Override
            public synchronized void close() {
                // A leftover child would hold surefire's stdout open and hang the build.
                children.forEach(ch -> ch.signalGroup(Signal.KILL));
                c.close();
            }
        };
        opened.add(tracking);
        return tracking;
    }

    private static SpawnRequest request(String... argv) {
        return new SpawnRequest(List.of(argv), ENV, null);
    }

    private static ExitStatus exit(ChildProcess child) throws Exception {
        return child.onExit().get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private static String procStatusField(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).strip())
                .findFirst().orElseThrow();
    }

    @Test
    void isChosenByProcessControlsHere() {
        ProcessControl c = ProcessControls.open(Reaping.OWN_CHILDREN);
        opened.add(c);
        assertInstanceOf(LinuxProcessControl.class, c, c.description());
        assertTrue(c.description().startsWith("Linux native"), c.description());
    }

    @Test
    void childLeadsANewSession() throws Exception {
        ChildProcess child = open().spawn(request("sleep", "1000"));
        String stat = Files.readString(Path.of("/proc/" + child.pid() + "/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after "(comm)": state ppid pgrp session
        assertEquals(ProcessHandle.current().pid(), Long.parseLong(after[1]), "ppid");
        assertEquals(child.pid(), Long.parseLong(after[2]), "pgid");
        assertEquals(child.pid(), Long.parseLong(after[3]), "sid");
        child.signalGroup(Signal.KILL);
        assertEquals(new ExitStatus.Killed(9), exit(child));
    }

    @Test
    void childHasDefaultSignalStateEvenWhenThisJvmIgnoresSignals() throws Exception {
        try (IgnoredSignal ignored = IgnoredSignal.hup()) {
            assertNotEquals(0L, Long.parseUnsignedLong(procStatusField(ProcessHandle.current().pid(), "SigIgn"), 16),
                    "precondition: this JVM ignores some signal");
            ProcessControl control = open();
            ChildProcess[] child = new ChildProcess[1];
            String[] spawnerMask = new String[1];
            Thread spawner = Thread.ofPlatform().start(() -> {
                try {
                    spawnerMask[0] = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                            .filter(l -> l.startsWith("SigBlk:")).findFirst().orElseThrow();
                    child[0] = control.spawn(request("sleep", "1000"));
                } catch (SpawnException | IOException e) {
                    throw new AssertionError(e);
                }
            });
            spawner.join();
            // HotSpot blocks SIGQUIT in every thread but main: a mask that must not leak.
            assertNotEquals("SigBlk:\t0000000000000000", spawnerMask[0], "precondition: spawning thread blocks some signal");
            long pid = child[0].pid();
            // sleep's own handlers cannot differ from the defaults it inherited: it installs none.
            assertEquals("0000000000000000", procStatusField(pid, "SigBlk"));
            assertEquals("0000000000000000", procStatusField(pid, "SigIgn"));
            child[0].signalGroup(Signal.TERM);
            assertEquals(new ExitStatus.Killed(15), exit(child[0]));
        }
    }

    @Test
    void childHasOnlyStdinStdoutStderr() throws Exception {
        assertOnlyStandardFds(open());
    }

    @Test
    void closesFdsWithoutClosefromFallback() throws Exception {
        assertOnlyStandardFds(track(LinuxProcessControl.open(Reaping.OWN_CHILDREN, () -> new PosixSpawner(true, false))));
    }

    @Test
    void closesFdsOtherThreadsOpenMeanwhileWithoutClosefromFallback() throws Exception {
        // Another thread opens and closes a descriptor without close-on-exec all the while, each at
        // the lowest free number: the fallback must close it although it did not see it open.
        ProcessControl control = track(LinuxProcessControl.open(Reaping.OWN_CHILDREN, () -> new PosixSpawner(true, false)));
        AtomicBoolean stop = new AtomicBoolean();
        Thread opener = Thread.ofPlatform().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment devNull = Memory.cString(arena, "/dev/null");
                while (!stop.get()) {
                    int fd = LibC.open(devNull, LibC.O_RDONLY);
                    if (fd >= 0) {
                        LibC.close(fd);
                    }
                }
            }
        });
        try {
            for (int i = 0; i < 50; i++) {
                assertOnlyStandardFds(control);
            }
        } finally {
            stop.set(true);
            opener.join();
        }
    }

    private void assertOnlyStandardFds(ProcessControl control) throws Exception {
        try (var ignored = Files.newInputStream(Path.of("/proc/self/status"))) { // at least one more fd open here
            ChildProcess child = control.spawn(request("sleep", "1000"));
            // Until the child's own dynamic loader is done: it opens /etc/ld.so.cache, as fd 3, for a
            // moment after the exec. An fd the child inherited stays for good, and fails this.
            Await.until(() -> "only fds 0, 1 and 2 in the child; it has " + fds(child.pid()),
                    () -> fds(child.pid()).keySet().equals(Set.of("0", "1", "2")));
            assertEquals("/dev/null", Files.readSymbolicLink(Path.of("/proc/" + child.pid() + "/fd/0")).toString());
            child.signalGroup(Signal.KILL);
            assertEquals(new ExitStatus.Killed(9), exit(child));
        }
    }

    /** A process's open fds and what each is, by number. */
    private static Map<String, String> fds(long pid) {
        Map<String, String> open = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(p -> {
                try {
                    open.put(p.getFileName().toString(), Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    // closed since it was listed
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open;
    }

    @Test
    void decodesDeathBySignal() throws Exception {
        ChildProcess child = open().spawn(request("sh", "-c", "kill -9 $$"));
        assertEquals(new ExitStatus.Killed(9), exit(child));
    }

    @Test
    void explainsSpawnFailuresInOneLine() throws Exception {
        ProcessControl control = open();
        Path notExecutable = Files.writeString(tmp.resolve("x"), "#!/bin/sh\n");
        assertEquals("nosuchcmd-carnival: command not found", spawnError(control, request("nosuchcmd-carnival")));
        assertEquals(tmp.resolve("nope") + ": no such file or directory",
                spawnError(control, request(tmp.resolve("nope").toString())));
        assertEquals(notExecutable + ": permission denied", spawnError(control, request(notExecutable.toString())));
        assertEquals("./x: permission denied", spawnError(control, new SpawnRequest(List.of("./x"), ENV, tmp)));
        Path missing = tmp.resolve("missing");
        assertEquals("working directory " + missing + ": no such file or directory",
                spawnError(control, new SpawnRequest(List.of("true"), ENV, missing)));
        assertEquals("working directory " + notExecutable + ": not a directory",
                spawnError(control, new SpawnRequest(List.of("true"), ENV, notExecutable)));
    }

    private static String spawnError(ProcessControl control, SpawnRequest request) {
        return assertThrows(SpawnException.class, () -> control.spawn(request)).getMessage();
    }

    @Test
    void passesArgvAndEnvironmentAsExactUtf8Bytes() throws Exception {
        // argv and envp are packed into one native block each: every string must keep its own
        // bytes and terminator, including an empty one and multi-byte characters.
        Path out = tmp.resolve("out");
        Map<String, String> env = new LinkedHashMap<>(ENV);
        env.put("EMPTY", "");
        env.put("GRUSS", "grüße 😀");
        ChildProcess child = open().spawn(new SpawnRequest(List.of("sh", "-c",
                "printf '%s|%s|%s|%s|%s\\n' \"$1\" \"$2\" \"$3\" \"$EMPTY\" \"$GRUSS\" > \"$4\"",
                "sh", "ä", "", "x y", out.toString()), Environment.of(env), null));
        assertEquals(new ExitStatus.Exited(0), exit(child));
        assertEquals("ä||x y||grüße 😀\n", Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void changesDirectoryWithoutAddchdirFallback() throws Exception {
        ProcessControl control = track(LinuxProcessControl.open(Reaping.OWN_CHILDREN, () -> new PosixSpawner(false, true)));
        Path dir = Files.createDirectory(tmp.resolve("it's here"));
        ChildProcess child = control.spawn(new SpawnRequest(List.of("sh", "-c", "pwd -P > pwd.txt"), ENV, dir));
        assertEquals(new ExitStatus.Exited(0), exit(child));
        assertEquals(dir.toRealPath().toString(), Files.readString(dir.resolve("pwd.txt")).strip());
        assertEquals("working directory " + tmp.resolve("nope") + ": no such file or directory",
                spawnError(control, new SpawnRequest(List.of("true"), ENV, tmp.resolve("nope"))));
    }

    @Test
    void signalAfterReapIsANoOp() throws Exception {
        ChildProcess child = open().spawn(request("true"));
        assertEquals(new ExitStatus.Exited(0), exit(child));
        child.signalGroup(Signal.KILL); // the pid may already belong to someone else: must not be sent
    }

    @Test
    void embeddedModeLeavesOtherChildrenOfThisJvmAlone() throws Exception {
        ProcessControl control = open();
        ChildProcess mine = control.spawn(request("sh", "-c", "exit 4"));
        Process theirs = new ProcessBuilder("sh", "-c", "exit 5").start();
        assertEquals(5, theirs.waitFor());
        assertEquals(new ExitStatus.Exited(4), exit(mine));
    }

    @Test
    void embeddedStopDescendantsStopsWhatIsLeftOfItsGroupsAndNothingElse() throws Exception {
        LinuxProcessControl control = LinuxProcessControl.open(Reaping.OWN_CHILDREN);
        track(control);
        String script = """
                cd "$1"
                sleep 1000 & echo $! > a
                setsid sh -c 'echo $$ > b; exec sleep 1000' &
                exit 0
                """;
        ChildProcess maker = control.spawn(request("sh", "-c", script, "sh", tmp.toString()));
        Process theirs = new ProcessBuilder("sleep", "1000").start();
        try {
            assertEquals(new ExitStatus.Exited(0), exit(maker));
            long inGroup = Long.parseLong(Await.line(tmp.resolve("a")));
            long ownSession = Long.parseLong(Await.line(tmp.resolve("b")));
            assertTrue(maker.groupRemains());
            assertEquals(1, control.stopDescendants(java.time.Duration.ofSeconds(5)), "only the member of its group");
            Await.until("the daemon in its group to be gone", () -> Await.dead(inGroup));
            assertTrue(theirs.isAlive(), "a process it did not start is left alone");
            assertTrue(ProcessHandle.of(ownSession).map(ProcessHandle::isAlive).orElse(false),
                    "embedded, a process that left its group is not its to stop");
            ProcessHandle.of(ownSession).ifPresent(ProcessHandle::destroyForcibly);
            assertEquals(0, control.stopDescendants(java.time.Duration.ofSeconds(5)));
        } finally {
            theirs.destroyForcibly();
        }
    }

    @Test
    void closingAbandonsRunningChildrenAndRefusesNewOnes() throws Exception {
        LinuxProcessControl control = LinuxProcessControl.open(Reaping.OWN_CHILDREN);
        ChildProcess child = control.spawn(request("sleep", "1000"));
        try {
            control.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> exit(child));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertThrows(SpawnException.class, () -> control.spawn(request("true")));
        } finally {
            child.signalGroup(Signal.KILL); // not reaped, so still ours to signal
        }
        Await.until("abandoned child to die", () -> Await.dead(child.pid()));
    }

    @Test
    void threadCountDoesNotGrowWithChildren() throws Exception {
        ProcessControl control = open();
        control.spawn(request("true")).onExit().get(30, TimeUnit.SECONDS); // warm up lazy JDK threads
        long before = osThreads();
        List<ChildProcess> children = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                children.add(control.spawn(request("sleep", "1000")));
            }
            long during = osThreads();
            assertTrue(during - before < 10, "threads before " + before + ", with 1000 children " + during);
        } finally {
            children.forEach(c -> c.signalGroup(Signal.KILL));
        }
        for (ChildProcess c : children) {
            assertEquals(new ExitStatus.Killed(9), exit(c));
        }
    }

    private static long osThreads() throws IOException {
        return Long.parseLong(procStatusField(ProcessHandle.current().pid(), "Threads"));
    }
}
