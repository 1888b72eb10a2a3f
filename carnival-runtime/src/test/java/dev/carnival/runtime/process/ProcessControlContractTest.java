package dev.carnival.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.process.linux.LinuxProcessControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Behaviour every ProcessControl must have, run against the native one and the JDK fallback. */
class ProcessControlContractTest {
    private static final Environment ENV = Environment.of(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));

    @TempDir
    Path tmp;

    private ProcessControl control;
    private final List<ChildProcess> spawned = new ArrayList<>();

    static Stream<Arguments> implementations() {
        return Stream.of(
                Arguments.of("native", (Supplier<ProcessControl>) () -> LinuxProcessControl.open(false)),
                Arguments.of("jdk", (Supplier<ProcessControl>) JdkProcessControl::new));
    }

    @AfterEach
    void close() {
        // A leftover child would hold surefire's stdout open and hang the build.
        spawned.forEach(c -> c.signalGroup(Signal.KILL));
        if (control != null) {
            control.close();
        }
    }

    private ChildProcess sh(Supplier<ProcessControl> impl, String script, Object... args) throws SpawnException {
        control = control != null ? control : impl.get();
        Stream<String> argv = Stream.concat(Stream.of("sh", "-c", script, "sh"), Stream.of(args).map(String::valueOf));
        return track(control.spawn(new SpawnRequest(argv.toList(), ENV, null)));
    }

    private ChildProcess track(ChildProcess child) {
        spawned.add(child);
        return child;
    }

    private static ExitStatus exit(ChildProcess child) throws Exception {
        return child.onExit().get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void reportsExitCodes(String name, Supplier<ProcessControl> impl) throws Exception {
        assertEquals(new ExitStatus.Exited(3), exit(sh(impl, "exit 3")));
        assertEquals(new ExitStatus.Exited(0), exit(sh(impl, "true")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void passesExactlyTheGivenEnvironment(String name, Supplier<ProcessControl> impl) throws Exception {
        control = impl.get();
        Path out = tmp.resolve("env");
        ChildProcess child = track(control.spawn(new SpawnRequest(
                List.of("sh", "-c", "printf '%s|%s\\n' \"$FOO\" \"${HOME-unset}\" > \"$1\"", "sh", out.toString()),
                Environment.of(Map.of("FOO", "bar baz")), null)));
        assertEquals(new ExitStatus.Exited(0), exit(child));
        assertEquals("bar baz|unset", Files.readString(out).strip(), "HOME must not leak from the supervisor");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void runsInTheWorkingDirectory(String name, Supplier<ProcessControl> impl) throws Exception {
        control = impl.get();
        Path dir = Files.createDirectory(tmp.resolve("work dir"));
        Path script = dir.resolve("here.sh");
        Files.writeString(script, "#!/bin/sh\npwd -P > pwd.txt\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        ChildProcess child = track(control.spawn(new SpawnRequest(List.of("./here.sh"), ENV, dir)));
        assertEquals(new ExitStatus.Exited(0), exit(child));
        assertEquals(dir.toRealPath().toString(), Files.readString(dir.resolve("pwd.txt")).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void failsToSpawnWithSpawnException(String name, Supplier<ProcessControl> impl) throws Exception {
        control = impl.get();
        Path notExecutable = Files.writeString(tmp.resolve("x"), "#!/bin/sh\n");
        assertThrows(SpawnException.class, () -> control.spawn(new SpawnRequest(List.of("nosuchcmd-carnival"), ENV, null)));
        assertThrows(SpawnException.class, () -> control.spawn(new SpawnRequest(List.of(notExecutable.toString()), ENV, null)));
        assertThrows(SpawnException.class, () -> control.spawn(new SpawnRequest(List.of("true"), ENV, tmp.resolve("nope"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void termReachesGrandchild(String name, Supplier<ProcessControl> impl) throws Exception {
        Path pidFile = tmp.resolve("grandchild");
        // Loops rather than `wait`: the JDK fallback signals descendants before the shell itself,
        // and a plain `wait` would return 0 as soon as the sleep died.
        ChildProcess child = sh(impl, "exec 2>/dev/null; sleep 1000 & echo $! > \"$1\"; while :; do sleep 1 & wait $!; done",
                pidFile);
        long grandchild = Long.parseLong(Await.line(pidFile));
        child.signalGroup(Signal.TERM);
        assertEquals(128 + 15, exit(child).asExitCode());
        Await.until("grandchild " + grandchild + " to die", () -> Await.dead(grandchild));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void deliversOtherSignals(String name, Supplier<ProcessControl> impl) throws Exception {
        Path ready = tmp.resolve("ready");
        Path marker = tmp.resolve("marker");
        ChildProcess child = sh(impl, "exec 2>/dev/null; trap 'echo usr1 > \"$2\"; exit 7' USR1; echo > \"$1\"; while :; do sleep 1 & wait $!; done",
                ready, marker);
        Await.line(ready);
        child.signalGroup(Signal.USR1);
        assertEquals(new ExitStatus.Exited(7), exit(child));
        assertEquals("usr1", Files.readString(marker).strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void childIgnoringTermSurvivesItAndDiesOnKill(String name, Supplier<ProcessControl> impl) throws Exception {
        Path ready = tmp.resolve("ready");
        Path marker = tmp.resolve("alive");
        ChildProcess child = sh(impl, "exec 2>/dev/null; trap '' TERM; trap 'echo alive >> \"$2\"' USR1; echo > \"$1\"; while :; do sleep 1 & wait $!; done",
                ready, marker);
        Await.line(ready);
        child.signalGroup(Signal.TERM);
        // An ignored signal is discarded when sent; a USR1 handled afterwards proves the TERM did not kill.
        child.signalGroup(Signal.USR1);
        Await.line(marker);
        assertFalse(child.onExit().isDone());
        child.signalGroup(Signal.KILL);
        assertEquals(128 + 9, exit(child).asExitCode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void pipesOutputIntoSinksBeforeReportingTheExit(String name, Supplier<ProcessControl> impl) throws Exception {
        control = impl.get();
        Collecting out = new Collecting();
        Collecting err = new Collecting();
        ChildProcess child = track(control.spawn(new SpawnRequest(
                List.of("sh", "-c", "printf 'one\ntwo'; printf oops >&2; exit 2"), ENV, null, out, err)));
        assertEquals(new ExitStatus.Exited(2), exit(child));
        assertEquals("one\ntwo", out.text());
        assertEquals("oops", err.text());
        assertTrue(out.flushes() > 0, "stdout flushed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void grandchildHoldingThePipeDoesNotHoldTheExit(String name, Supplier<ProcessControl> impl) throws Exception {
        control = impl.get();
        Collecting out = new Collecting();
        Path pidFile = tmp.resolve("grandchild");
        ChildProcess child = track(control.spawn(new SpawnRequest(
                List.of("sh", "-c", "sleep 1000 2>/dev/null & echo $! > \"$1\"; echo started", "sh", pidFile.toString()),
                ENV, null, out, null)));
        try {
            // Nor any other exit while this one waits for its pipe.
            assertEquals(new ExitStatus.Exited(0), exit(track(control.spawn(new SpawnRequest(List.of("true"), ENV, null)))));
            assertEquals(new ExitStatus.Exited(0), exit(child));
            assertEquals("started\n", out.text());
        } finally {
            // Its group is no longer ours to signal once the child is reaped.
            ProcessHandle.of(Long.parseLong(Await.line(pidFile))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A sink that keeps everything, thread-safe as the contract demands. */
    private static final class Collecting implements OutputSink {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private int flushes;

        @Override
        public synchronized void write(byte[] b, int offset, int length) {
            bytes.write(b, offset, length);
        }

        @Override
        public synchronized void flush() {
            flushes++;
        }

        synchronized String text() {
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }

        synchronized int flushes() {
            return flushes;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void embeddedStopDescendantsNeverTouchesAProcessItDidNotStart(String name, Supplier<ProcessControl> impl)
            throws Exception {
        ChildProcess running = sh(impl, "exec sleep 1000");
        Process theirs = new ProcessBuilder("sleep", "1000").start();
        try {
            control.stopDescendants(java.time.Duration.ofMillis(100));
            assertTrue(theirs.isAlive(), "a process of the host program");
            assertFalse(running.onExit().isDone(), "a running child is the supervisor's to stop, with its stop signal");
        } finally {
            theirs.destroyForcibly();
        }
    }
}
