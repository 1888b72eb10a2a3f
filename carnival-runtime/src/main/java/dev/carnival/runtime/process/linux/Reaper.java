package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.carnival.runtime.process.SpawnException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that learns of exits and the only code that ever calls {@code wait*}, so the
 * thread count does not depend on the number of children. It works in one of two ways:
 *
 * <ul>
 *   <li><b>Orphan reaping</b> (the command-line supervisor: PID 1 or child subreaper). Every
 *       child of this process is ours to reap, so the thread simply blocks in
 *       {@code waitid(P_ALL, WEXITED | WNOWAIT)}: one wake-up per exit and nothing per spawn (no
 *       pidfd, no poll set to rebuild, no wake-up call). The call only <em>peeks</em>: the
 *       zombie stays until this thread decides whose it is. A pid in the registry is reaped as
 *       managed (its status goes to its future). A pid not found there may be a child whose
 *       spawn has not been registered yet, so the thread takes the write side of the spawn gate,
 *       which waits for spawns under way (they hold the read side from {@code posix_spawn} to
 *       registration), and looks again; only then is it reaped as an orphan. So a managed
 *       status is never consumed as an orphan's, however heavy the orphan churn.</li>
 *   <li><b>Embedded</b> (a library inside someone else's JVM, whose other children are not
 *       ours): it poll(2)s one pidfd per managed child plus an eventfd that announces new ones,
 *       and only ever waits on our own pids.</li>
 * </ul>
 *
 * <p>An exit future completes on this thread, outside every lock, when the child had no pipes
 * (see {@link LinuxChild#deliver}): completing runs the dependents, so they must be quick.
 */
final class Reaper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
    /**
     * With no child at all, how often to look again: a process that joins our PID namespace from
     * outside (docker exec) can leave orphans to us without ever being our child.
     */
    static final int NO_CHILD_MILLIS = 200;
    // Children without a pidfd (kernel < 5.3, or fd limit hit) are polled with WNOHANG.
    private static final int NO_PIDFD_MILLIS = 50;
    /** Where an exit that waited for its pipes is delivered: never this thread (see LinuxChild#deliver). */
    private static final Executor EXIT_DELIVERY = Thread::startVirtualThread;

    /** Starts a process. */
    interface Spawn {
        Started start() throws SpawnException;
    }

    /**
     * @param outputDone completes when the child's piped output has been copied (at once when none is piped)
     * @param flush      makes its sinks emit a partial last line
     */
    record Started(int pid, CompletableFuture<Void> outputDone, Runnable flush) {}

    private final boolean reapOrphans;
    private final int wakeFd; // embedded mode only, else -1
    // Lock order: spawnGate, then registry.
    private final ReentrantReadWriteLock spawnGate = new ReentrantReadWriteLock();
    private final ReentrantLock registry = new ReentrantLock();
    private final Condition spawned = registry.newCondition(); // orphan mode: a child may exist now
    private volatile long registrations; // written under registry
    private final Map<Integer, LinuxChild> children = new HashMap<>(); // guarded by registry
    private boolean closed; // written under the gate's write side and registry; read under either
    private volatile boolean changed = true;
    private volatile long orphansReaped; // written by the reaper thread only
    private final Thread thread;

    /**
     * @param reapOrphans true only when every child of this process is ours (see the class
     *                    comment); at most one such reaper may exist in a process
     */
    Reaper(boolean reapOrphans) {
        this.reapOrphans = reapOrphans;
        if (reapOrphans) {
            this.wakeFd = -1;
            this.thread = Thread.ofPlatform().daemon().name("carnival-reaper").unstarted(this::waitForAny);
        } else {
            int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            if (fd < 0) {
                throw new NativeUnavailableException("eventfd: " + Errno.describe(-fd));
            }
            this.wakeFd = fd;
            this.thread = Thread.ofPlatform().daemon().name("carnival-reaper").unstarted(this::pollPidfds);
        }
        thread.start();
    }

    /**
     * Spawns and registers a child, atomically with respect to orphan reaping and to
     * {@link #close()} (both take the write side of the gate), but not to other spawns.
     */
    LinuxChild start(Spawn spawn) throws SpawnException {
        LinuxChild child;
        spawnGate.readLock().lock();
        try {
            ensureOpen(); // closed is only written under the write side, which this side excludes
            Started started = spawn.start();
            registry.lock();
            try {
                child = register(started);
            } finally {
                registry.unlock();
            }
        } finally {
            spawnGate.readLock().unlock();
        }
        if (!reapOrphans) {
            wake();
        }
        return child;
    }

    private void ensureOpen() throws SpawnException {
        if (closed) {
            throw new SpawnException("process control is closed");
        }
    }

    private LinuxChild register(Started started) {
        int pid = started.pid();
        int pidfd = -1;
        if (!reapOrphans) {
            // Opened before anyone may reap the pid, so it cannot name a recycled process.
            pidfd = LibC.pidfdOpen(pid);
            if (pidfd < 0) {
                LOG.debug("pidfd_open({}) failed: {}; polling it instead", pid, Errno.describe(-pidfd));
                pidfd = -1;
            }
        }
        LinuxChild child = new LinuxChild(pid, pidfd, started.outputDone(), started.flush());
        // A closed LinuxChild (abandoned) would never be reaped; close() sees it under this lock.
        children.put(pid, child);
        changed = true;
        registrations++;
        if (reapOrphans) {
            spawned.signal();
        }
        return child;
    }

    @Override
    public void close() {
        // The write side waits for spawns under way, so each child is either registered before
        // closed is set (and abandoned below) or never spawned.
        spawnGate.writeLock().lock();
        registry.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed = true;
            spawned.signal();
        } finally {
            registry.unlock();
            spawnGate.writeLock().unlock();
        }
        if (reapOrphans) {
            // The thread may sit in waitid until some child exits; it stops then, having seen
            // closed, without delivering anything more. It holds no fds.
            abandonAll();
            return;
        }
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("reaper thread did not stop; leaving its fds open");
            return;
        }
        abandonAll();
        LibC.close(wakeFd);
    }

    private void abandonAll() {
        List<LinuxChild> abandoned;
        registry.lock();
        try {
            abandoned = new ArrayList<>(children.values());
            children.clear();
        } finally {
            registry.unlock();
        }
        for (LinuxChild child : abandoned) {
            if (child.pidfd() >= 0) {
                LibC.close(child.pidfd());
            }
            child.abandon("process control was closed while pid " + child.pid() + " was running");
        }
    }

    private void wake() {
        LibC.eventfdSignal(wakeFd);
    }

    /** Orphan mode: see the class comment. */
    private void waitForAny() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statusWord = arena.allocate(JAVA_INT);
            MemorySegment siginfo = arena.allocate(LibC.SIGINFO_BYTES, 8);
            while (true) {
                try {
                    long seen = registrations;
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
                    if (!reapExited(siginfo.get(JAVA_INT, LibC.SIGINFO_PID_OFFSET), statusWord)) {
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
     * With no child to wait for: until one is spawned after {@code seen} registrations, or a
     * while. (Not "until the registry is empty": an entry whose process something else reaped
     * would make that a busy loop.) False once closed.
     */
    private boolean awaitChild(long seen) throws InterruptedException {
        registry.lock();
        try {
            if (!closed && registrations == seen) {
                spawned.await(NO_CHILD_MILLIS, TimeUnit.MILLISECONDS);
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

    /** Embedded mode: see the class comment. */
    private void pollPidfds() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statusWord = arena.allocate(JAVA_INT);
            MemorySegment counter = arena.allocate(JAVA_LONG);
            Watch watch = new Watch();
            while (true) {
                try {
                    if (changed) {
                        changed = false;
                        if (!watch.rebuild()) {
                            return;
                        }
                    }
                    int timeout = watch.unwatched.isEmpty() ? -1 : NO_PIDFD_MILLIS;
                    int n = LibC.poll(watch.pollfds, watch.count, timeout);
                    if (n < 0 && n != -Errno.EINTR) {
                        LOG.error("poll failed: {}", Errno.describe(-n));
                        Thread.sleep(NO_PIDFD_MILLIS); // do not spin on a persistent error
                    }
                    if (n > 0 && revents(watch.pollfds, 0) != 0) {
                        LibC.read(wakeFd, counter, 8);
                    }
                    for (int i = 1; n > 0 && i < watch.count; i++) {
                        if (revents(watch.pollfds, i) != 0 && reap(watch.watched[i - 1], statusWord)) {
                            watch.watched[i - 1].deliver(EXIT_DELIVERY);
                        }
                    }
                    for (LinuxChild child : watch.unwatched) {
                        if (reap(child, statusWord)) {
                            child.deliver(EXIT_DELIVERY);
                        }
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
     * Reaps a managed child if it has exited and forgets it; true when this call reaped it (the
     * caller then delivers its status, outside any lock).
     */
    private boolean reap(LinuxChild child, MemorySegment statusWord) {
        if (!child.tryReap(statusWord)) {
            return false;
        }
        registry.lock();
        try {
            children.remove((int) child.pid(), child); // the pid may already be a new child's
            changed = true;
        } finally {
            registry.unlock();
        }
        // Safe to close now: the poll set is rebuilt before the next poll call.
        if (child.pidfd() >= 0) {
            LibC.close(child.pidfd());
        }
        return true;
    }

    /** How many orphans have been reaped so far; for tests and diagnostics. */
    long orphansReaped() {
        return orphansReaped;
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
            LOG.debug("reaped orphan pid {}: {}", pid, WaitStatus.decode(statusWord.get(JAVA_INT, 0)).describe());
        }
    }

    private static short revents(MemorySegment pollfds, int index) {
        return pollfds.get(JAVA_SHORT, index * LibC.POLLFD_BYTES + LibC.POLLFD_REVENTS_OFFSET);
    }

    /** The poll set, owned by the reaper thread: slot 0 is the eventfd, slot i+1 watched[i]. */
    private final class Watch {
        MemorySegment pollfds = MemorySegment.NULL;
        LinuxChild[] watched = new LinuxChild[0];
        List<LinuxChild> unwatched = List.of();
        int count;

        /** Returns false once process control is closed. */
        boolean rebuild() {
            List<LinuxChild> all;
            registry.lock();
            try {
                if (closed) {
                    return false;
                }
                all = new ArrayList<>(children.values());
            } finally {
                registry.unlock();
            }
            List<LinuxChild> withFd = new ArrayList<>(all.size());
            List<LinuxChild> without = new ArrayList<>();
            for (LinuxChild c : all) {
                (c.pidfd() >= 0 ? withFd : without).add(c);
            }
            count = withFd.size() + 1;
            if (pollfds.byteSize() < count * LibC.POLLFD_BYTES) {
                // Grow geometrically; each array has its own automatic arena, freed when dropped.
                pollfds = Arena.ofAuto().allocate(Math.max(64, Integer.highestOneBit(count) * 2L) * LibC.POLLFD_BYTES, 8);
            }
            set(0, wakeFd);
            for (int i = 0; i < withFd.size(); i++) {
                set(i + 1, withFd.get(i).pidfd());
            }
            watched = withFd.toArray(LinuxChild[]::new);
            unwatched = without;
            return true;
        }

        private void set(int index, int fd) {
            long base = index * LibC.POLLFD_BYTES;
            pollfds.set(JAVA_INT, base, fd);
            pollfds.set(JAVA_SHORT, base + LibC.POLLFD_EVENTS_OFFSET, (short) LibC.POLLIN);
            pollfds.set(JAVA_SHORT, base + LibC.POLLFD_REVENTS_OFFSET, (short) 0);
        }
    }
}
