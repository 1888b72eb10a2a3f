package dev.carnival.runtime.reload;

import dev.carnival.api.model.RolloutSpec.Strategy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Replaces a service's replicas with ones made from its new config, in the order given. Rolling:
 * one at a time, the next only once the new one runs and, where the service has a readiness probe,
 * is ready; the first that does not get there halts the rollout, and the replicas not yet replaced
 * keep running the old config. Recreate: every old replica stopped, then every new one started.
 * What "replace", "stop" and "start" mean, and their deadlines, is the {@link Replicas}' business.
 */
public final class Rollout {
    /** How a rollout reaches the replicas of the service it rolls. */
    public interface Replicas {
        /**
         * Stops the old replica {@code index} and starts its successor; completes once the new one
         * runs and is ready, or exceptionally (with the reason as message) when it does not get there
         * within the rollout timeout.
         */
        CompletableFuture<Void> replace(int index);

        /** Stops the old replica {@code index}; completes when its process is gone. */
        CompletableFuture<Void> stop(int index);

        /** Starts the new replica {@code index}; completes as {@link #replace} does. */
        CompletableFuture<Void> start(int index);
    }

    /** How a rollout ended. */
    public sealed interface Result {
        /** How many replicas run the new config. */
        int replaced();

        /** Every replica was replaced. */
        record Completed(int replaced) implements Result {}

        /** Replica {@code index}'s successor did not become ready; {@code replaced} before it did. */
        record Halted(int index, String reason, int replaced) implements Result {}
    }

    private Rollout() {}

    /** Rolls {@code indexes} with {@code strategy}; never completes exceptionally. */
    public static CompletableFuture<Result> run(Strategy strategy, List<Integer> indexes, Replicas replicas) {
        return strategy == Strategy.ROLLING ? rolling(List.copyOf(indexes), 0, replicas) : recreate(indexes, replicas);
    }

    private static CompletableFuture<Result> rolling(List<Integer> indexes, int done, Replicas replicas) {
        if (done == indexes.size()) {
            return CompletableFuture.completedFuture(new Result.Completed(done));
        }
        int index = indexes.get(done);
        return replicas.replace(index).handle((ok, error) -> error)
                .thenCompose(error -> error == null ? rolling(indexes, done + 1, replicas)
                        : CompletableFuture.completedFuture(new Result.Halted(index, reason(error), done)));
    }

    private static CompletableFuture<Result> recreate(List<Integer> indexes, Replicas replicas) {
        CompletableFuture<?>[] stops = indexes.stream().map(replicas::stop).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(stops).handle((ok, error) -> null).thenCompose(x -> {
            List<CompletableFuture<Void>> starts = indexes.stream().map(replicas::start).toList();
            return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).handle((ok, error) -> {
                int ready = 0;
                for (int i = 0; i < starts.size(); i++) {
                    CompletableFuture<Void> f = starts.get(i);
                    if (f.isCompletedExceptionally()) {
                        return (Result) new Result.Halted(indexes.get(i), reason(f.handle((v, e) -> e).join()),
                                ready);
                    }
                    ready++;
                }
                return new Result.Completed(ready);
            });
        });
    }

    private static String reason(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
