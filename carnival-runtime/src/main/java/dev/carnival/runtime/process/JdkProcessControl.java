package dev.carnival.runtime.process;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Portable fallback on the JDK Process API, for machines where native process control cannot
 * load. It cannot start a new session, so a process "group" here is the process and its
 * descendants at the moment of signalling; signals other than TERM and KILL go through
 * {@code kill(1)}; a child killed by signal N is reported as exit code 128+N, as the JDK does.
 */
public final class JdkProcessControl implements ProcessControl {
    private static final File DEV_NULL = new File("/dev/null");

    private final String whyNotNative;

    public JdkProcessControl() {
        this(null);
    }

    /** @param whyNotNative why native process control is not in use, for {@link #description()} */
    public JdkProcessControl(String whyNotNative) {
        this.whyNotNative = whyNotNative;
    }

    @Override
    public String description() {
        return "JDK Process API (portable fallback: no sessions, TERM/KILL only without kill(1), no orphan reaping)"
                + (whyNotNative == null ? "" : "; native process control unavailable: " + whyNotNative);
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws SpawnException {
        ProcessBuilder pb = new ProcessBuilder(request.argv());
        pb.environment().clear();
        pb.environment().putAll(request.environment());
        if (request.workingDir() != null) {
            pb.directory(request.workingDir().toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            return new JdkChild(pb.start());
        } catch (IOException e) {
            throw new SpawnException(request.argv().getFirst() + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        // The JDK says "Cannot run program "x" (in directory "y"): error=2, No such file or directory".
        String m = String.valueOf(e.getMessage());
        int i = m.lastIndexOf(", ");
        return i >= 0 && m.contains("error=") ? m.substring(i + 2) : m;
    }

    @Override
    public void close() {}

    private record JdkChild(Process process, CompletableFuture<ExitStatus> onExit) implements ChildProcess {
        JdkChild(Process process) {
            this(process, process.onExit().thenApply(p -> ExitStatus.exited(p.exitValue())));
        }

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
