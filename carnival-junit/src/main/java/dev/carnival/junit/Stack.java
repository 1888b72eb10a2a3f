package dev.carnival.junit;

import dev.carnival.api.Carnival;
import dev.carnival.api.Supervisor;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One test class's supervisor, from the start that waits for readiness to the stop that checks
 * nothing it started is left. Kept in the class's extension store, which closes what it holds, so
 * it is stopped even when the extension's own after-all callback never runs.
 */
final class Stack implements AutoCloseable {
    /** How often the wait for readiness looks at the status without being woken by an event. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Beyond the config's shutdown timeout, how long the stop may take before it counts as stuck. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

    private final String owner;
    private final String testClass;
    private final CarnivalConfig config;
    private final OutputRoute output;
    private final Events events = new Events();
    private final long startTicks;
    private Supervisor supervisor;
    private boolean closed;

    private Stack(String owner, String testClass, CarnivalConfig config, OutputRoute output) {
        this.owner = owner;
        this.testClass = testClass;
        this.config = config;
        this.output = output;
        this.startTicks = ProcTable.nowTicks();
    }

    /**
     * Starts {@code config}'s processes and waits until every one that ought to run is running and
     * ready.
     *
     * @param owner the unique id of the class context that starts it, and so must stop it
     * @throws AssertionError when they do not get there within {@code readyTimeout}; every
     *                        process is stopped by then
     */
    static Stack start(String owner, String testClass, CarnivalConfig config, Duration readyTimeout,
                       OutputRoute output) throws ConfigException, InterruptedException {
        Stack stack = new Stack(owner, testClass, config, output);
        long began = System.nanoTime();
        stack.supervisor = Carnival.supervisor(output.route(config)).listener(stack.events).build();
        Readiness readiness;
        try {
            stack.supervisor.start();
            readiness = stack.awaitReady(readyTimeout);
        } catch (InterruptedException | RuntimeException | Error e) {
            stack.closeAfter(e);
            throw e;
        }
        if (!readiness.ready()) {
            String headline = readiness.hopeless() != null
                    ? "carnival: " + testClass + ": not every service got running and ready: " + readiness.hopeless()
                    : "carnival: " + testClass + ": not every service is running and ready after "
                            + readyTimeout.toMillis() + " ms";
            AssertionError failure = new AssertionError(
                    StatusReport.failure(headline, readiness, config.init().size(), output));
            stack.closeAfter(failure);
            throw failure;
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        int services = config.services().size();
        System.out.println("carnival: " + testClass + ": " + services + (services == 1 ? " service" : " services")
                + " running and ready in " + tookMillis + " ms on " + stack.events.processControl()
                + "; output in " + output.describe());
        return stack;
    }

    /** Stops everything after {@code failure}, whose suppressed exceptions get what the stop reports. */
    private void closeAfter(Throwable failure) {
        try {
            close();
        } catch (AssertionError | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private Readiness awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen = events.count();
            Readiness readiness = Readiness.of(supervisor.status());
            long left = deadline - System.nanoTime();
            if (readiness.ready() || readiness.hopeless() != null || left <= 0) {
                return readiness;
            }
            events.awaitAfter(seen, Math.min(left, POLL_NANOS));
        }
    }

    String owner() {
        return owner;
    }

    Supervisor supervisor() {
        return supervisor;
    }

    /**
     * Stops every process, then checks {@code /proc} for any it started that is still alive: such
     * a process is killed, and reported.
     *
     * @throws AssertionError when the supervisor did not stop, or left a process alive, or this
     *                        thread was interrupted meanwhile (its interrupt flag is set again)
     */
    @Override
    public synchronized void close() {
        if (closed || supervisor == null) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        try {
            stop(problems);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while stopping");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("carnival: " + testClass + ": " + String.join("\n", problems));
        }
    }

    private void stop(List<String> problems) throws InterruptedException {
        Duration limit = config.global().shutdownTimeout().plus(STOP_MARGIN);
        if (supervisor.await(Duration.ZERO).isEmpty()) {
            supervisor.stop();
            if (supervisor.await(limit).isEmpty()) {
                problems.add("the supervisor did not stop within " + limit.toMillis() + " ms");
            }
        }
        // Its last event says every earlier one (each process it started) has reached our listener.
        if (!events.awaitStopped(STOP_MARGIN)) {
            problems.add("the supervisor's last event did not arrive within " + STOP_MARGIN.toMillis() + " ms");
        }
        if (ProcTable.available()) {
            List<ProcTable.Entry> left = ProcTable.survivors(events.pids(), startTicks);
            if (!left.isEmpty()) {
                StringBuilder text = new StringBuilder().append(left.size())
                        .append(left.size() == 1 ? " process" : " processes")
                        .append(" started for this class still alive after the supervisor stopped (now killed):");
                for (ProcTable.Entry e : left) {
                    ProcessHandle.of(e.pid()).ifPresent(ProcessHandle::destroyForcibly);
                    text.append("\n  pid ").append(e.pid()).append(" (session ").append(e.session()).append("): ")
                            .append(e.commandLine());
                }
                problems.add(text.toString());
            }
        }
    }

    /** What the supervisor reports, as far as the extension needs it; wakes the wait for readiness. */
    private static final class Events implements LifecycleListener {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Set<Long> pids = ConcurrentHashMap.newKeySet();
        private long count; // guarded by lock
        private boolean stopped; // guarded by lock
        private volatile String processControl = "unknown process control";

        @Override
        public void onEvent(LifecycleEvent event) {
            switch (event) {
                case LifecycleEvent.ProcessStarted started -> pids.add(started.pid());
                case LifecycleEvent.SupervisorStarted started -> processControl = started.processControl();
                default -> { }
            }
            lock.lock();
            try {
                count++;
                stopped |= event instanceof LifecycleEvent.SupervisorStopped;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        long count() {
            lock.lock();
            try {
                return count;
            } finally {
                lock.unlock();
            }
        }

        /** Waits until an event arrives after the {@code seen}th, at most {@code nanos}. */
        void awaitAfter(long seen, long nanos) throws InterruptedException {
            lock.lock();
            try {
                while (count == seen && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
            } finally {
                lock.unlock();
            }
        }

        boolean awaitStopped(Duration timeout) throws InterruptedException {
            long nanos = timeout.toNanos();
            lock.lock();
            try {
                while (!stopped && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
                return stopped;
            } finally {
                lock.unlock();
            }
        }

        Set<Long> pids() {
            return Set.copyOf(pids);
        }

        String processControl() {
            return processControl;
        }
    }
}
