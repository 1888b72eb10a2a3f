package example.embedded;

import dev.carnival.api.Carnival;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ServiceConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Supervises two services built in code (no config file): a "ticker" that exits every 200 ms and
 * is restarted, and N "worker" replicas that run until stopped. It prints every event, prints a
 * status snapshot once the ticker has restarted twice, and stops everything when this JVM shuts
 * down (SIGTERM, Ctrl-C): Carnival embedded installs no signal handlers and never calls
 * System.exit, so the host program stays in charge.
 *
 * <p>Run: {@code java -p examples/embedded/target/lib:examples/embedded/target/carnival-example-embedded-0.1.0.jar
 * -m example.embedded/example.embedded.EmbeddedSupervisor [workers]}
 */
public final class EmbeddedSupervisor {
    private EmbeddedSupervisor() {}

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        CarnivalConfig config = CarnivalConfig.of(
                ServiceConfig.builder("ticker", "sh")
                        .args("-c", "echo tick $CARNIVAL_RESTART_COUNT; sleep 0.2")
                        .restart("always")
                        .restartDelay(Duration.ofMillis(100))
                        .build(),
                ServiceConfig.builder("worker", "sleep")
                        .args("1000")
                        .replicas(workers)
                        .stopTimeout(Duration.ofSeconds(5))
                        .build());

        CountDownLatch tickerRestarted = new CountDownLatch(2);
        Supervisor supervisor = Carnival.supervisor(config)
                .listener(LifecycleListener.of(event -> {
                    System.out.println("event: " + describe(event));
                    if (event instanceof LifecycleEvent.RestartScheduled r && r.replica().service().equals("ticker")) {
                        tickerRestarted.countDown();
                    }
                }))
                .build();

        // The host's own shutdown stops the supervised processes, then lets the JVM exit as usual.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                supervisor.close();
                System.out.println("stopped: every supervised process has exited");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));

        supervisor.start();
        tickerRestarted.await();
        for (ReplicaStatus r : supervisor.status().replicas()) {
            System.out.println("status: " + r.replica() + " " + r.state()
                    + " pid=" + (r.pid().isPresent() ? r.pid().getAsLong() : "-")
                    + " restarts=" + r.restartCount()
                    + " last-exit=" + r.lastExit().map(ExitStatus::describe).orElse("-"));
        }
        System.out.println("status: done");
        supervisor.await();
    }

    private static String describe(LifecycleEvent event) {
        return switch (event) {
            case LifecycleEvent.ProcessStarted e -> e.replica() + " started, pid " + e.pid();
            case LifecycleEvent.ProcessExited e -> e.replica() + " " + e.status().describe();
            case LifecycleEvent.RestartScheduled e -> e.replica() + " restart " + e.restartCount() + " in " + e.delay().toMillis() + " ms";
            default -> event.getClass().getSimpleName();
        };
    }
}
