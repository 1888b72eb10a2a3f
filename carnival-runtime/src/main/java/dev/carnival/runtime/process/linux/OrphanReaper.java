package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reaper of the command-line supervisor (PID 1 or child subreaper), where every child of this
 * process is ours to reap. The thread simply blocks in {@code waitid(P_ALL, WEXITED | WNOWAIT)}:
 * one wake-up per exit and nothing per spawn (no pidfd, no poll set to rebuild, no wake-up call).
 * The call only <em>peeks</em>: the zombie stays until this thread decides whose it is. A pid in
 * the registry is reaped as managed (its status goes to its future). A pid not found there may be
 * a child whose spawn has not been registered yet, so the thread takes the write side of the
 * spawn gate, which waits for spawns under way, and looks again; only then is it reaped as an
 * orphan. So a managed status is never consumed as an orphan's, however heavy the orphan churn.
 *
 * <p>At most one may exist in a process.
 */
final class OrphanReaper extends Reaper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);
    /**
     * With no child at all, how often to look again: a process that joins our PID namespace from
     * outside (docker exec) can leave orphans to us without ever being our child.
     */
    static final int NO_CHILD_MILLIS = 200;

    private final Condition changed = registry.newCondition(); // a child may exist now
    private volatile long changes; // written under registry
    private volatile long orphansReaped; // written by the reaper thread only

    OrphanReaper() {
        thread(this::waitForAny).start();
    }

    @Override
    int pidfdFor(int pid) {
        return -1;
    }

    @Override
    void changedLocked() {
        changes++;
        changed.signal();
    }

    @Override
    void stop() {
        // The thread may sit in waitid until some child exits; it stops then, having seen
        // closed, without delivering anything more. It holds no fds.
        abandonAll();
    }

    /** True unless this process has no child at all, running or exited: then it has no descendant either. */
    static boolean hasChildren() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment siginfo = arena.allocate(LibC.SIGINFO);
            int r;
            do {
                r = LibC.waitid(LibC.P_ALL, 0, siginfo, LibC.WEXITED | LibC.WNOHANG | LibC.WNOWAIT);
            } while (r == -Errno.EINTR);
            return r != -Errno.ECHILD;
        }
    }

    /** How many orphans have been reaped so far; for tests and diagnostics. */
    long orphansReaped() {
        return orphansReaped;
    }

    private void waitForAny() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statusWord = arena.allocate(JAVA_INT);
            MemorySegment siginfo = arena.allocate(LibC.SIGINFO);
            while (true) {
                try {
                    long seen = changes;
                    int r = LibC.waitid(LibC.P_ALL, 0, siginfo, LibC.WEXITED | LibC.WNOWAIT);
                    if (r == -Errno.EINTR) {
                        continue;
                    }
                    if (r < 0) {
                        if (r != -Errno.ECHILD) {
                            LOG.error("waitid failed: {}", Errno.describe(-r));
                        }
                        if (!awaitChild(seen)) {
                            return;
                        }
                        continue;
                    }
                    if (!reapExited(Memory.getInt(siginfo, LibC.SIGINFO_PID), statusWord)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    // Only close() stops this thread, through the closed flag.
                } catch (RuntimeException | Error e) {
                    LOG.error("reaper iteration failed; continuing", e);
                }
            }
        }
    }

    /**
     * With no child to wait for: until the registry changes after {@code seen} changes, or a
     * while. (Not "until the registry is empty": an entry whose process something else reaped
     * would make that a busy loop.) False once closed.
     */
    private boolean awaitChild(long seen) throws InterruptedException {
        registry.lock();
        try {
            if (!closed && changes == seen) {
                changed.await(NO_CHILD_MILLIS, TimeUnit.MILLISECONDS);
            }
            return !closed;
        } finally {
            registry.unlock();
        }
    }

    /** Reaps {@code pid}, a zombie child of ours, as managed or as an orphan. False once closed. */
    private boolean reapExited(int pid, MemorySegment statusWord) {
        LinuxChild child;
        registry.lock();
        try {
            if (closed) {
                return false;
            }
            child = children.get(pid);
        } finally {
            registry.unlock();
        }
        if (child != null) {
            // Not under the lock: spawns waiting to register need not wait for this waitpid.
            if (reap(child, statusWord)) {
                child.deliver(EXIT_DELIVERY);
            }
            return true;
        }
        // Perhaps a spawn under way that has not registered its pid yet: wait for those.
        spawnGate.writeLock().lock();
        registry.lock();
        try {
            if (closed) {
                return false;
            }
            child = children.get(pid);
            if (child == null) {
                reapOrphan(pid, statusWord);
                return true;
            }
            if (!reap(child, statusWord)) {
                return true;
            }
        } finally {
            registry.unlock();
            spawnGate.writeLock().unlock();
        }
        child.deliver(EXIT_DELIVERY);
        return true;
    }

    private void reapOrphan(int pid, MemorySegment statusWord) {
        int r;
        do {
            r = LibC.waitpid(pid, statusWord, LibC.WNOHANG);
        } while (r == -Errno.EINTR);
        if (r == pid) {
            orphansReaped++; // single writer
        }
        if (r == pid && LOG.isDebugEnabled()) {
            LOG.debug("reaped orphan pid {}: {}", pid, WaitStatus.decode(Memory.getInt(statusWord, 0)).describe());
        }
    }
}
