package example.consumer;

import dev.carnival.api.Carnival;
import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a TOML config (the TOML plugin, found with ServiceLoader), runs it with a listener of its
 * own, waits until its service passes its readiness probe (the probes plugin), stops it, and
 * exits 0 only if the listener saw all of that happen.
 */
public final class Consumer {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Consumer() {}

    /** Records the events it is told about; counts down when the service is ready and when it is all over. */
    static final class Recorder implements LifecycleListener {
        final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public void onEvent(LifecycleEvent event) {
            events.add(event);
            if (event instanceof LifecycleEvent.ReadinessChanged r && r.ready()) {
                ready.countDown();
            }
            if (event instanceof LifecycleEvent.SupervisorStopped) {
                stopped.countDown();
            }
        }

        boolean saw(Class<? extends LifecycleEvent> type) {
            return events.stream().anyMatch(type::isInstance);
        }
    }

    public static void main(String[] args) throws Exception {
        CarnivalConfig config = Carnival.readConfig(Path.of(args.length > 0 ? args[0] : "consumer.toml"));
        Recorder recorder = new Recorder();
        int exitCode;
        try (Supervisor supervisor = Carnival.supervisor(config).listener(recorder).build()) {
            supervisor.start();
            if (!recorder.ready.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                fail("the worker did not get ready within " + DEADLINE.toSeconds() + " s: " + supervisor.status());
            }
            ReplicaStatus worker = supervisor.status().replicas().getFirst();
            if (worker.state() != ReplicaState.RUNNING || !worker.ready()) {
                fail("the listener heard the worker was ready, the status says " + worker);
            }
            System.out.println("consumer: " + worker.replica() + " running and ready, pid " + worker.pid().orElseThrow());
            supervisor.stop();
            exitCode = supervisor.await();
        }
        if (!recorder.stopped.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            fail("the listener never heard the supervisor stop");
        }
        for (var type : List.of(LifecycleEvent.SupervisorStarted.class, LifecycleEvent.ProcessStarted.class,
                LifecycleEvent.ProcessExited.class, LifecycleEvent.SupervisorStopped.class)) {
            if (!recorder.saw(type)) {
                fail("the listener never saw " + type.getSimpleName() + "; it saw " + recorder.events);
            }
        }
        if (exitCode != 0) {
            fail("the supervisor exited " + exitCode);
        }
        System.out.println("consumer: OK, " + recorder.events.size() + " events, supervisor exited 0");
    }

    private static void fail(String why) {
        System.err.println("consumer: FAILED: " + why);
        System.exit(1);
    }
}
