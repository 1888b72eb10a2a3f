package dev.carnival.runtime.probe;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.Signal;
import dev.carnival.api.probe.ProbeContext;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.OutputSink;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What one check of one replica's probe may use. A command it runs is killed, with its group,
 * when the check ends ({@code ended}) and it is still there.
 *
 * @param workingDir the replica's working directory, or null for the supervisor's
 */
public record CheckContext(ReplicaId replica, Environment environment, Path workingDir, Duration timeout,
                           ProcessControl control, CompletableFuture<Void> ended) implements ProbeContext {

    @Override
    public CompletionStage<ExitStatus> exec(List<String> argv) {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        SpawnRequest request = new SpawnRequest(argv, environment, workingDir, OutputSink.DISCARD, OutputSink.DISCARD);
        // Spawning blocks for a moment: never on the probe timer's thread.
        Thread.ofVirtual().name("probe-" + replica).start(() -> {
            if (ended.isDone()) {
                exit.cancel(false);
                return;
            }
            ChildProcess child;
            try {
                child = control.spawn(request);
            } catch (SpawnException | RuntimeException e) {
                exit.completeExceptionally(e);
                return;
            }
            child.onExit().whenComplete((status, e) -> {
                if (e != null) {
                    exit.completeExceptionally(e);
                } else {
                    exit.complete(status);
                }
            });
            ended.whenComplete((v, e) -> {
                if (!child.onExit().isDone() || child.groupRemains()) {
                    child.signalGroup(Signal.KILL);
                }
            });
        });
        return exit;
    }
}
