package dev.carnival.runtime.supervise;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/** An executor that runs nothing until the test says: {@link #runAll()}, on the test's thread. */
final class ManualExecutor implements Executor {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs every queued task, and those they queue, until none is left. */
    void runAll() {
        for (Runnable r; (r = tasks.poll()) != null; ) {
            r.run();
        }
    }

    int queued() {
        return tasks.size();
    }
}
