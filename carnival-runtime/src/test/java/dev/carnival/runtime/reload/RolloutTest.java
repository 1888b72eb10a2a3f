package dev.carnival.runtime.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.RolloutSpec.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The rollout's order and halting, with replicas whose readiness the test decides. */
class RolloutTest {
    /** Records every call; each returns a future the test completes. */
    private static final class Recorded implements Rollout.Replicas {
        final List<String> calls = new ArrayList<>();
        final Map<String, CompletableFuture<Void>> pending = new HashMap<>();

        private CompletableFuture<Void> call(String what) {
            calls.add(what);
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.put(what, f);
            return f;
        }

        @Override
        public CompletableFuture<Void> replace(int index) {
            return call("replace " + index);
        }

        @Override
        public CompletableFuture<Void> stop(int index) {
            return call("stop " + index);
        }

        @Override
        public CompletableFuture<Void> start(int index) {
            return call("start " + index);
        }

        void ok(String what) {
            pending.get(what).complete(null);
        }

        void fail(String what, String why) {
            pending.get(what).completeExceptionally(new IllegalStateException(why));
        }
    }

    @Test
    void rollingReplacesTheNextOnlyOnceTheLastIsReady() {
        Recorded r = new Recorded();
        CompletableFuture<Rollout.Result> result = Rollout.run(Strategy.ROLLING, List.of(0, 1, 2), r);
        assertEquals(List.of("replace 0"), r.calls);
        r.ok("replace 0");
        assertEquals(List.of("replace 0", "replace 1"), r.calls);
        r.ok("replace 1");
        assertFalse(result.isDone());
        r.ok("replace 2");
        assertEquals(new Rollout.Result.Completed(3), result.join());
    }

    @Test
    void aReplicaThatNeverGetsReadyHaltsTheRolloutAndLeavesTheRest() {
        Recorded r = new Recorded();
        CompletableFuture<Rollout.Result> result = Rollout.run(Strategy.ROLLING, List.of(0, 1, 2), r);
        r.ok("replace 0");
        r.fail("replace 1", "web[1] not ready within 60000 ms");
        assertEquals(new Rollout.Result.Halted(1, "web[1] not ready within 60000 ms", 1), result.join());
        assertEquals(List.of("replace 0", "replace 1"), r.calls, "replica 2 keeps the old config");
    }

    @Test
    void recreateStopsEveryOldReplicaBeforeStartingAnyNewOne() {
        Recorded r = new Recorded();
        CompletableFuture<Rollout.Result> result = Rollout.run(Strategy.RECREATE, List.of(0, 1), r);
        assertEquals(List.of("stop 0", "stop 1"), r.calls);
        r.ok("stop 1");
        assertEquals(2, r.calls.size(), "nothing starts while an old replica runs");
        r.ok("stop 0");
        assertEquals(List.of("stop 0", "stop 1", "start 0", "start 1"), r.calls);
        r.ok("start 0");
        r.fail("start 1", "web[1] not ready within 10 ms");
        assertTrue(result.join() instanceof Rollout.Result.Halted h && h.index() == 1 && h.replaced() == 1);
    }

    @Test
    void nothingToRollIsDoneAtOnce() {
        assertEquals(new Rollout.Result.Completed(0),
                Rollout.run(Strategy.ROLLING, List.of(), new Recorded()).join());
    }
}
