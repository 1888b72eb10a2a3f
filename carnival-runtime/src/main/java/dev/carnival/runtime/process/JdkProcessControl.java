package dev.carnival.runtime.process;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Portable fallback on the JDK Process API, for machines where native process control cannot
 * load. It cannot start a new session, so a process "group" here is the process and its
 * descendants at the moment of signalling; signals other than TERM and KILL go through
 * {@code kill(1)}; a child killed by signal N is reported as exit code 128+N, as the JDK does.
 */
public final class JdkProcessControl implements ProcessControl {
    private static final File DEV_NULL = new File("/dev/null");
    private static final int READ_BYTES = 64 * 1024;

    private final String whyNotNative;
    private final Reaping reaping;
    private final OomScore oom;

    public JdkProcessControl() {
        this(null, Reaping.OWN_CHILDREN);
    }

    /**
     * @param whyNotNative why native process control is not in use, for {@link #description()}
     * @param reaping      {@link Reaping#ORPHANS} for the command-line supervisor, whose every
     *                     descendant is its own to stop (see {@link #stopDescendants})
     */
    public JdkProcessControl(String whyNotNative, Reaping reaping) {
        this.whyNotNative = whyNotNative;
        this.reaping = reaping;
        this.oom = reaping == Reaping.ORPHANS ? OomScore.lowered() : OomScore.inherited();
    }

    @Override
    public String description() {
        return "JDK Process API (portable fallback: no sessions, TERM/KILL only without kill(1), no orphan reaping)"
                + (whyNotNative == null ? "" : "; native process control unavailable: " + whyNotNative);
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws SpawnException {
        if (request.credentials() != null) {
            // ProcessBuilder has no way to set the child's user, and doing it for the whole JVM is out.
            throw new SpawnException(request.argv().getFirst() + ": cannot run as " + request.credentials().user()
                    + ": the JDK Process API fallback cannot switch users");
        }
        ProcessBuilder pb = new ProcessBuilder(request.argv());
        pb.environment().clear();
        pb.environment().putAll(request.environment());
        if (request.workingDir() != null) {
            pb.directory(request.workingDir().toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        pb.redirectOutput(redirect(request.stdout()));
        pb.redirectError(redirect(request.stderr()));
        try {
            Process process = pb.start();
            oom.apply(process.pid(), request.oomScoreAdj(), request.argv().getFirst());
            List<CompletableFuture<Void>> readers = new ArrayList<>(2);
            if (OutputSink.piped(request.stdout())) {
                readers.add(pump(process.getInputStream(), request.stdout()));
            }
            if (OutputSink.piped(request.stderr())) {
                readers.add(pump(process.getErrorStream(), request.stderr()));
            }
            return new JdkChild(process, exitAfterOutput(process, readers, request));
        } catch (IOException e) {
            throw new SpawnException(request.argv().getFirst() + ": " + reason(e));
        }
    }

    private static ProcessBuilder.Redirect redirect(OutputSink sink) {
        if (sink == null) {
            return ProcessBuilder.Redirect.INHERIT;
        }
        return sink == OutputSink.DISCARD ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.PIPE;
    }

    private static String reason(IOException e) {
        // The JDK says "Cannot run program "x" (in directory "y"): error=2, No such file or directory".
        String m = String.valueOf(e.getMessage());
        int i = m.lastIndexOf(", ");
        return i >= 0 && m.contains("error=") ? m.substring(i + 2) : m;
    }

    /**
     * Without process groups, only the command-line supervisor can do this, and only for
     * descendants still in its tree: as PID 1 that is every orphan; otherwise what a service's
     * daemons were re-parented to is out of reach.
     */
    @Override
    public int stopDescendants(Duration grace) {
        return Leftovers.stop(new Leftovers.Scope(reaping == Reaping.ORPHANS, Set.of()), grace);
    }

    @Override
    public void close() {}

    /** Copies a pipe into a sink on a virtual thread (this fallback's one thread per stream). */
    private static CompletableFuture<Void> pump(InputStream in, OutputSink sink) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("carnival-output").start(() -> {
            byte[] buffer = new byte[READ_BYTES];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sink.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // The pipe broke: nothing more will come.
            } finally {
                sink.flush();
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * The exit is reported once the output read so far has been written, so a last partial line
     * comes before the exit in the log; a grandchild that keeps the pipe open cannot delay it long.
     */
    private static CompletableFuture<ExitStatus> exitAfterOutput(Process process, List<CompletableFuture<Void>> readers,
                                                                 SpawnRequest request) {
        CompletableFuture<ExitStatus> exit = process.onExit().thenApply(p -> ExitStatus.exited(p.exitValue()));
        if (readers.isEmpty()) {
            return exit;
        }
        return exit.thenCompose(status -> CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, OutputSink.DRAIN_MILLIS, TimeUnit.MILLISECONDS)
                .thenApply(ignored -> {
                    request.flushSinks();
                    return status;
                }));
    }

    private record JdkChild(Process process, CompletableFuture<ExitStatus> onExit) implements ChildProcess {

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public void signalGroup(Signal signal) {
            if (!process.isAlive()) {
                return;
            }
            List<ProcessHandle> targets = new ArrayList<>();
            process.descendants().forEach(targets::add);
            targets.add(process.toHandle());
            switch (signal) {
                case TERM -> targets.forEach(ProcessHandle::destroy);
                case KILL -> targets.forEach(ProcessHandle::destroyForcibly);
                default -> sendWithKillCommand(signal, targets);
            }
        }

        private static void sendWithKillCommand(Signal signal, List<ProcessHandle> targets) {
            List<String> cmd = new ArrayList<>(List.of("kill", "-s", signal.name(), "--"));
            targets.forEach(h -> cmd.add(Long.toString(h.pid())));
            try {
                new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                targets.forEach(ProcessHandle::destroy);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
