package dev.carnival.cli.control;

import dev.carnival.api.Operation;
import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A supervisor double for the protocol tests: fixed replicas whose state the operations flip, and a log of calls. */
public final class FakeSupervisor implements Supervisor {
    final List<String> calls = new CopyOnWriteArrayList<>();
    public volatile SupervisorStatus.Phase phase = SupervisorStatus.Phase.RUNNING;
    private final List<ReplicaStatus> replicas = new ArrayList<>();

    public FakeSupervisor() {
        replicas.add(running("web", 0, 100));
        replicas.add(running("web", 1, 101));
        replicas.add(new ReplicaStatus(new ReplicaId("db", 0), ReplicaState.BACKOFF, OptionalLong.empty(), false, 3,
                Optional.empty(), Optional.of(ExitStatus.killed(9)), Optional.empty(), 2));
    }

    private static ReplicaStatus running(String service, int index, long pid) {
        return new ReplicaStatus(new ReplicaId(service, index), ReplicaState.RUNNING, OptionalLong.of(pid), true, 0,
                Optional.of(Duration.ofMillis(1234)), Optional.of(ExitStatus.exited(0)), Optional.empty(), 0);
    }

    public synchronized void set(int i, ReplicaStatus status) {
        replicas.set(i, status);
    }

    public static ReplicaStatus stopped(String service, int index) {
        return new ReplicaStatus(new ReplicaId(service, index), ReplicaState.STOPPED, OptionalLong.empty(), false, 0,
                Optional.empty(), Optional.of(ExitStatus.killed(15)), Optional.of(StopReason.RESTART_LIMIT), 0);
    }

    @Override
    public synchronized SupervisorStatus status() {
        return new SupervisorStatus(phase, replicas);
    }

    /** Records "OP TARGET" (e.g. "signal SIGHUP web/1"); calls from elsewhere than the socket are marked. */
    @Override
    public CompletableFuture<Void> perform(Operation operation) {
        calls.add(operation.describe() + " " + operation.target()
                + (operation.origin() == Operation.Origin.SOCKET ? "" : " from " + operation.origin().id()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public int await() {
        return 0;
    }

    @Override
    public Optional<Integer> await(Duration timeout) {
        return Optional.of(0);
    }

    @Override
    public void close() {}
}
