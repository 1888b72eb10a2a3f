package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.Leftovers;
import dev.carnival.runtime.process.SpawnException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The one thread that learns of exits and the only code that ever calls {@code wait*}, so the
 * thread count does not depend on the number of children: {@link OrphanReaper} when every child
 * of this process is ours (PID 1 or child subreaper), {@link PidfdReaper} when embedded. This
 * class keeps the registry of managed children that both share.
 *
 * <p>An exit future completes on the reaper thread, outside every lock, when the child had no
 * pipes (see {@link LinuxChild#deliver}): completing runs the dependents, so they must be quick.
 */
abstract sealed class Reaper implements AutoCloseable permits OrphanReaper, PidfdReaper {
    /** Where an exit that waited for its pipes is delivered: never the reaper thread (see LinuxChild#deliver). */
    static final Executor EXIT_DELIVERY = Thread::startVirtualThread;
    private static final int MIN_PRUNE = 64;

    /** Starts a process. */
    interface Spawn {
        Started start() throws SpawnException;
    }

    /**
     * @param outputDone completes when the child's piped output has been copied (at once when none is piped)
     * @param flush      makes its sinks emit a partial last line
     */
    record Started(int pid, CompletableFuture<Void> outputDone, Runnable flush) {}

    // Lock order: spawnGate, then registry. Spawns hold the read side from posix_spawn to
    // registration; the write side waits for spawns under way (close, and OrphanReaper).
    final ReentrantReadWriteLock spawnGate = new ReentrantReadWriteLock();
    final ReentrantLock registry = new ReentrantLock();
    final Map<Integer, LinuxChild> children = new HashMap<>(); // guarded by registry
    boolean closed; // written under the gate's write side and registry; read under either
    // Leaders reaped while their group still had members; pruned of empty groups as it grows.
    private final Set<Long> remnants = new HashSet<>(); // guarded by registry
    private int pruneAt = MIN_PRUNE;

    /** Opens process control's reaper for this process. */
    static Reaper open(boolean reapOrphans) {
        return reapOrphans ? new OrphanReaper() : new PidfdReaper();
    }

    /** A pidfd for {@code pid}, opened before anyone may reap it, or -1 when this reaper needs none. */
    abstract int pidfdFor(int pid);

    /** A child was registered or the reaper closed; under {@link #registry}. */
    abstract void changedLocked();

    /** A child was registered; after every lock is released. */
    void registered() {}

    /** Ends the reaper thread once {@link #closed} is set, then abandons every child left. */
    abstract void stop();

    /**
     * Spawns and registers a child, atomically with respect to {@link #close()} and to orphan
     * reaping (both take the write side of the gate), but not to other spawns.
     */
    final LinuxChild start(Spawn spawn) throws SpawnException {
        LinuxChild child;
        spawnGate.readLock().lock();
        try {
            if (closed) { // only written under the write side, which this side excludes
                throw new SpawnException("process control is closed");
            }
            Started started = spawn.start();
            registry.lock();
            try {
                int pid = started.pid();
                child = new LinuxChild(pid, pidfdFor(pid), started.outputDone(), started.flush());
                // A closed LinuxChild (abandoned) would never be reaped; close() sees it under this lock.
                children.put(pid, child);
                changedLocked();
            } finally {
                registry.unlock();
            }
        } finally {
            spawnGate.readLock().unlock();
        }
        registered();
        return child;
    }

    @Override
    public final void close() {
        // The write side waits for spawns under way, so each child is either registered before
        // closed is set (and abandoned in stop()) or never spawned.
        spawnGate.writeLock().lock();
        registry.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changedLocked();
        } finally {
            registry.unlock();
            spawnGate.writeLock().unlock();
        }
        stop();
    }

    /** Completes the future of every child still registered exceptionally, and closes their pidfds. */
    final void abandonAll() {
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

    /**
     * Reaps a managed child if it has exited and forgets it; true when this call reaped it (the
     * caller then delivers its status, outside any lock).
     */
    final boolean reap(LinuxChild child, MemorySegment statusWord) {
        if (!child.tryReap(statusWord)) {
            return false;
        }
        boolean remains = child.groupRemains();
        registry.lock();
        try {
            children.remove((int) child.pid(), child); // the pid may already be a new child's
            changedLocked();
            if (remains) {
                remnants.add(child.pid());
                if (remnants.size() >= pruneAt) {
                    pruneLocked();
                    pruneAt = Math.max(MIN_PRUNE, 2 * remnants.size());
                }
            }
        } finally {
            registry.unlock();
        }
        // Safe to close now: a poll set is rebuilt before its next poll call.
        if (child.pidfd() >= 0) {
            LibC.close(child.pidfd());
        }
        return true;
    }

    /** Process groups of reaped children that may still have members (see {@link Leftovers.Scope#groups()}). */
    final Set<Long> remnantGroups() {
        registry.lock();
        try {
            pruneLocked();
            return Set.copyOf(remnants);
        } finally {
            registry.unlock();
        }
    }

    private void pruneLocked() {
        remnants.removeIf(group -> LibC.kill((int) -group, 0) < 0);
    }

    /** The reaper thread, unstarted; it runs until {@link #close()}. */
    static Thread thread(Runnable loop) {
        return Thread.ofPlatform().daemon().name("carnival-reaper").unstarted(loop);
    }
}
