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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that learns of exits and the only code that ever calls {@code wait*}: it
 * poll(2)s the pidfds of all managed children plus an eventfd that announces new ones, so the
 * thread count does not depend on the number of children.
 *
 * <p>Orphan reaping (PID 1 or child subreaper) is a sweep every {@value #SWEEP_MILLIS} ms (not
 * on every wake-up, which would put a locked waitid on every spawn and exit of a restart storm):
 * {@code waitid(P_ALL, WNOWAIT)} <em>peeks</em> at the next zombie
 * without consuming it; a managed pid is reaped as managed (its status goes to its future), any
 * other pid as an orphan. A managed status cannot be stolen because (1) no other code reaps,
 * (2) the sweep holds the write side of the spawn gate from peek to reap, and (3) in that mode a
 * child is spawned and registered under the read side, so every pid that exists as our child
 * when the sweep looks is already in the registry. Spawns share the read side, so they run in
 * parallel with each other (posix_spawn blocks its caller until the child has exec'd, most of
 * a spawn's time); only the sweep, every {@value #SWEEP_MILLIS} ms, waits for them. Without
 * orphan reaping nothing ever waits on P_ALL: only our pids.
 *
 * <p>Futures are completed on virtual threads: completing runs the dependents, which must neither
 * delay other exits nor be able to block this thread.
 */
final class Reaper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
    static final int SWEEP_MILLIS = 200;
    // Children without a pidfd (kernel < 5.3, or fd limit hit) are polled with WNOHANG.
    private static final int NO_PIDFD_MILLIS = 50;
    private static final int MAX_REAPS_PER_SWEEP = 4096;

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
    private final int wakeFd;
    // Lock order: spawnGate, then registry.
    private final ReentrantReadWriteLock spawnGate = new ReentrantReadWriteLock();
    private final ReentrantLock registry = new ReentrantLock();
    private final Map<Integer, LinuxChild> children = new HashMap<>(); // guarded by registry
    private boolean closed; // guarded by registry
    private volatile boolean changed = true;
    private volatile long orphansReaped; // written by the reaper thread only
    private final ExecutorService completions =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("carnival-exit-", 0).factory());
    private final Thread thread;

    Reaper(boolean reapOrphans) {
        this.reapOrphans = reapOrphans;
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0) {
            throw new NativeUnavailableException("eventfd: " + Errno.describe(-fd));
        }
        this.wakeFd = fd;
        this.thread = Thread.ofPlatform().daemon().name("carnival-reaper").unstarted(this::run);
        thread.start();
    }

    /**
     * Spawns and registers a child, atomically with respect to the orphan sweep and to
     * {@link #close()} (both take the write side of the gate), but not to other spawns.
     */
    LinuxChild start(Spawn spawn) throws SpawnException {
        LinuxChild child;
        spawnGate.readLock().lock();
        try {
            registry.lock();
            try {
                ensureOpen();
            } finally {
                registry.unlock();
            }
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
        wake();
        return child;
    }

    private void ensureOpen() throws SpawnException {
        if (closed) {
            throw new SpawnException("process control is closed");
        }
    }

    private LinuxChild register(Started started) {
        int pid = started.pid();
        // Opened before anyone may reap the pid, so it cannot name a recycled process.
        int pidfd = LibC.pidfdOpen(pid);
        if (pidfd < 0) {
            LOG.debug("pidfd_open({}) failed: {}; polling it instead", pid, Errno.describe(-pidfd));
            pidfd = -1;
        }
        LinuxChild child = new LinuxChild(pid, pidfd, started.outputDone(), started.flush());
        // A closed LinuxChild (abandoned) would never be reaped; close() sees it under this lock.
        children.put(pid, child);
        changed = true;
        return child;
    }

    @Override
    public void close() {
        List<LinuxChild> abandoned;
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
        } finally {
            registry.unlock();
            spawnGate.writeLock().unlock();
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
        LibC.close(wakeFd);
        completions.shutdown();
    }

    private void wake() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            LibC.write(wakeFd, one, 8); // EAGAIN means the counter is already non-zero: fine
        }
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statusWord = arena.allocate(JAVA_INT);
            MemorySegment siginfo = arena.allocate(LibC.SIGINFO_BYTES, 8);
            MemorySegment counter = arena.allocate(JAVA_LONG);
            Watch watch = new Watch();
            long nextSweep = System.nanoTime();
            while (true) {
                try {
                    if (changed) {
                        changed = false;
                        if (!watch.rebuild()) {
                            return;
                        }
                    }
                    int timeout = watch.unwatched.isEmpty() ? -1 : NO_PIDFD_MILLIS;
                    if (reapOrphans) {
                        int untilSweep = (int) Math.max(0, (nextSweep - System.nanoTime()) / 1_000_000);
                        timeout = timeout < 0 ? untilSweep : Math.min(timeout, untilSweep);
                    }
                    int n = LibC.poll(watch.pollfds, watch.count, timeout);
                    if (n < 0 && n != -Errno.EINTR) {
                        LOG.error("poll failed: {}", Errno.describe(-n));
                        Thread.sleep(NO_PIDFD_MILLIS); // do not spin on a persistent error
                    }
                    if (n > 0 && revents(watch.pollfds, 0) != 0) {
                        LibC.read(wakeFd, counter, 8);
                    }
                    for (int i = 1; n > 0 && i < watch.count; i++) {
                        if (revents(watch.pollfds, i) != 0) {
                            reapManaged(watch.watched[i - 1], statusWord);
                        }
                    }
                    for (LinuxChild child : watch.unwatched) {
                        reapManaged(child, statusWord);
                    }
                    if (reapOrphans && System.nanoTime() - nextSweep >= 0) {
                        sweep(siginfo, statusWord);
                        nextSweep = System.nanoTime() + SWEEP_MILLIS * 1_000_000L;
                    }
                } catch (InterruptedException e) {
                    // Only close() stops this thread, through the closed flag.
                } catch (RuntimeException | Error e) {
                    LOG.error("reaper iteration failed; continuing", e);
                }
            }
        }
    }

    private void reapManaged(LinuxChild child, MemorySegment statusWord) {
        if (!child.tryReap(statusWord)) {
            return;
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
        child.deliver(completions);
    }

    private void sweep(MemorySegment siginfo, MemorySegment statusWord) {
        spawnGate.writeLock().lock();
        registry.lock();
        try {
            for (int i = 0; i < MAX_REAPS_PER_SWEEP; i++) {
                siginfo.fill((byte) 0); // si_pid stays 0 when WNOHANG finds no zombie
                int r = LibC.waitid(LibC.P_ALL, 0, siginfo, LibC.WEXITED | LibC.WNOHANG | LibC.WNOWAIT);
                if (r == -Errno.EINTR) {
                    continue;
                }
                int pid = siginfo.get(JAVA_INT, LibC.SIGINFO_PID_OFFSET);
                if (r < 0 || pid == 0) {
                    return; // ECHILD: no children at all; pid 0: none has exited
                }
                LinuxChild child = children.get(pid);
                if (child != null) {
                    reapManaged(child, statusWord);
                } else {
                    reapOrphan(pid, statusWord);
                }
            }
        } finally {
            registry.unlock();
            spawnGate.writeLock().unlock();
        }
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
