package dev.carnival.runtime.supervise;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process control whose processes exist only on paper: they exit when the test says, and record
 * the signals they are sent. For deterministic tests of the state machine; the real ones are
 * tested elsewhere against real processes.
 */
final class FakeProcessControl implements ProcessControl {
    private final AtomicInteger pids = new AtomicInteger(1000);
    private final List<Child> spawned = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failNext = new AtomicInteger();
    volatile boolean closed;
    /** When set, each spawn holds here once its process exists, as a spawn under way. */
    volatile java.util.concurrent.CountDownLatch spawnGate;

    /** A process on paper. */
    static final class Child implements ChildProcess {
        final long pid;
        final SpawnRequest request;
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        final List<Signal> signals = Collections.synchronizedList(new ArrayList<>());
        /** Whether members of its group outlive it. */
        volatile boolean groupRemains;
        /** What receiving a signal sets off, on the signalling thread (as a trap would). */
        volatile java.util.function.Consumer<Signal> onSignal = s -> { };

        Child(long pid, SpawnRequest request) {
            this.pid = pid;
            this.request = request;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return exit;
        }

        @Override
        public void signalGroup(Signal signal) {
            signals.add(signal);
            if (signal == Signal.KILL) {
                groupRemains = false;
            }
            onSignal.accept(signal);
        }

        @Override
        public boolean groupRemains() {
            return groupRemains;
        }

        /** The process exits (as the reaper would report it, on the calling thread). */
        void exit(ExitStatus status) {
            exit.complete(status);
        }

        List<Signal> signals() {
            synchronized (signals) {
                return List.copyOf(signals);
            }
        }
    }

    /** The next {@code n} spawns fail as if the command were missing. */
    void failNextSpawns(int n) {
        failNext.set(n);
    }

    List<Child> spawned() {
        synchronized (spawned) {
            return List.copyOf(spawned);
        }
    }

    Child last() {
        List<Child> all = spawned();
        return all.getLast();
    }

    @Override
    public String description() {
        return "fake";
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws SpawnException {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SpawnException(request.argv().getFirst() + ": command not found");
        }
        Child c = new Child(pids.incrementAndGet(), request);
        spawned.add(c);
        java.util.concurrent.CountDownLatch gate = spawnGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return c;
    }

    @Override
    public void close() {
        closed = true;
    }
}
