package dev.carnival.runtime.process.linux;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.OutputSink;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process started by {@link LinuxProcessControl}, leader of its own session and process group.
 *
 * <p>The monitor of this object orders signalling against reaping: once {@code waitpid} has
 * consumed the status, the pid (and so the group id) may be reused by an unrelated process, so
 * {@link #signalGroup} must never call {@code kill} after that point.
 */
final class LinuxChild implements ChildProcess {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxChild.class);

    private final int pid;
    private final int pidfd;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final CompletableFuture<Void> outputDone;
    private final Runnable flushOutput;
    private boolean reaped; // guarded by this
    private ExitStatus status; // written under this before reaped is set, read after delivery is scheduled
    private String lost;

    LinuxChild(int pid, int pidfd, CompletableFuture<Void> outputDone, Runnable flushOutput) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.outputDone = outputDone;
        this.flushOutput = flushOutput;
    }

    @Override
    public long pid() {
        return pid;
    }

    /** A close-on-exec pidfd that polls readable on exit, or -1 when the kernel gave none. */
    int pidfd() {
        return pidfd;
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        // A copy, so no caller can complete or cancel what the reaper will complete.
        return exit.copy();
    }

    @Override
    public void signalGroup(Signal signal) {
        synchronized (this) {
            // A live member pins the group id, so it cannot have been reused while one remains.
            if (reaped && !groupRemains()) {
                return;
            }
            int r = LibC.kill(-pid, signal.number());
            if (r < 0 && -r != Errno.ESRCH) {
                LOG.warn("cannot send {} to process group {}: {}", signal.signalName(), pid, Errno.describe(-r));
            }
        }
    }

    @Override
    public boolean groupRemains() {
        synchronized (this) {
            // Signal 0 checks for existence only. Before the leader is reaped the group always
            // has a member (the leader itself, perhaps a zombie), so only ask after.
            return reaped && LibC.kill(-pid, 0) == 0;
        }
    }

    /**
     * Reaps this child if it has exited. Called only by the reaper thread.
     *
     * @param statusWord a 4-byte scratch segment
     * @return true when this call reaped it (then {@link #deliver()} must run once), false when
     *         it is still running or was reaped before
     */
    boolean tryReap(MemorySegment statusWord) {
        synchronized (this) {
            if (reaped) {
                return false;
            }
            int r;
            do {
                r = LibC.waitpid(pid, statusWord, LibC.WNOHANG);
            } while (r == -Errno.EINTR);
            if (r == 0) {
                return false;
            }
            if (r == pid) {
                status = WaitStatus.decode(Memory.getInt(statusWord, 0));
            } else {
                // ECHILD: something else in this JVM waited for our child; the status is gone.
                lost = "exit status of pid " + pid + " was consumed elsewhere (" + Errno.describe(-r) + ")";
            }
            reaped = true;
            return true;
        }
    }

    /**
     * Completes the exit future. Piped output read so far comes first, so a last partial line is
     * logged before the exit. When the pipes have reached end of file already (always, without
     * pipes) the pump has flushed their sinks, and the future completes right here, on the
     * reaper thread: a hand-off to another thread would add a wake-up to every restart, and the
     * dependents in this runtime only wake a waiting replica. Otherwise it completes on
     * {@code drained} once the pipes are drained, or after {@value OutputSink#DRAIN_MILLIS} ms if
     * a grandchild keeps one open (then a partial line is flushed first); the reaper thread never
     * waits for output, nor takes the console's lock.
     */
    void deliver(Executor drained) {
        if (outputDone.isDone()) {
            complete();
        } else {
            outputDone.completeOnTimeout(null, OutputSink.DRAIN_MILLIS, TimeUnit.MILLISECONDS).thenRunAsync(() -> {
                flushOutput.run();
                complete();
            }, drained);
        }
    }

    private void complete() {
        if (status != null) {
            exit.complete(status);
        } else {
            exit.completeExceptionally(new IllegalStateException(lost));
        }
    }

    /** For shutdown of process control while this child still runs. */
    void abandon(String reason) {
        exit.completeExceptionally(new IllegalStateException(reason));
    }

    @Override
    public String toString() {
        return "pid " + pid;
    }
}
