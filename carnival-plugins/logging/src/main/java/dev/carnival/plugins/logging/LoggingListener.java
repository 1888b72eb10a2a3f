package dev.carnival.plugins.logging;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.DependencyFailed;
import dev.carnival.api.event.LifecycleEvent.DependencyWait;
import dev.carnival.api.event.LifecycleEvent.InitFailed;
import dev.carnival.api.event.LifecycleEvent.InitFinished;
import dev.carnival.api.event.LifecycleEvent.InitStarted;
import dev.carnival.api.event.LifecycleEvent.InternalError;
import dev.carnival.api.event.LifecycleEvent.LeftoversStopped;
import dev.carnival.api.event.LifecycleEvent.LivenessFailed;
import dev.carnival.api.event.LifecycleEvent.NoServices;
import dev.carnival.api.event.LifecycleEvent.OperatorRequest;
import dev.carnival.api.event.LifecycleEvent.ReloadApplied;
import dev.carnival.api.event.LifecycleEvent.ReloadRejected;
import dev.carnival.api.event.LifecycleEvent.PreflightFailed;
import dev.carnival.api.event.LifecycleEvent.ProcessExited;
import dev.carnival.api.event.LifecycleEvent.ProcessStarted;
import dev.carnival.api.event.LifecycleEvent.ReadinessChanged;
import dev.carnival.api.event.LifecycleEvent.ReplicaStopped;
import dev.carnival.api.event.LifecycleEvent.RestartScheduled;
import dev.carnival.api.event.LifecycleEvent.DrainCut;
import dev.carnival.api.event.LifecycleEvent.JobResult;
import dev.carnival.api.event.LifecycleEvent.Draining;
import dev.carnival.api.event.LifecycleEvent.ShutdownHastened;
import dev.carnival.api.event.LifecycleEvent.ShutdownIncomplete;
import dev.carnival.api.event.LifecycleEvent.ShutdownRequested;
import dev.carnival.api.event.LifecycleEvent.ShutdownTimedOut;
import dev.carnival.api.event.LifecycleEvent.SignalForwarded;
import dev.carnival.api.event.LifecycleEvent.SpawnFailed;
import dev.carnival.api.event.LifecycleEvent.StopEscalated;
import dev.carnival.api.event.LifecycleEvent.SupervisorStarted;
import dev.carnival.api.event.LifecycleEvent.SupervisorStopped;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.Shell;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per lifecycle step, worded like the original Carnival's. This is where every line
 * of the supervisor's own log is written: the runtime reports facts as events only.
 *
 * <p>Events are told apart with {@code instanceof}, on every start's path (start-up rules:
 * StartupClassesIT in carnival-dist); {@code LoggingListenerTest} checks that every event type
 * has its own words and none reaches the last branch.
 */
public final class LoggingListener implements LifecycleListener {
    private final Logger log;

    /** Events reach a listener in order, on one thread: no synchronisation needed. */
    private boolean shuttingDown;

    /** Logs to the logger {@code carnival}. */
    public LoggingListener() {
        this(LoggerFactory.getLogger("carnival"));
    }

    LoggingListener(Logger log) {
        this.log = log;
    }

    @Override
    public void onEvent(LifecycleEvent event) {
        if (event instanceof SupervisorStarted e) {
            log.info("Process control: {}", e.processControl());
        } else if (event instanceof InitStarted e) {
            log.info("Running init command {}: {}", e.index(), Shell.join(e.commandLine()));
        } else if (event instanceof InitFinished e) {
            log.info("Init command {} finished in {} seconds", e.index(), seconds(e.took()));
        } else if (event instanceof InitFailed e) {
            log.error("Init command {} failed: {}: {}", e.index(), Shell.join(e.commandLine()), e.reason());
        } else if (event instanceof PreflightFailed e) {
            e.problems().forEach(p -> log.error("{}", p));
        } else if (event instanceof NoServices) {
            log.warn("No services configured, exiting");
        } else if (event instanceof ProcessStarted e) {
            log.info("{} started with PID {}{}", e.replica(), e.pid(),
                    e.restartCount() == 0 ? "" : " (restart " + e.restartCount() + ")");
        } else if (event instanceof SpawnFailed e) {
            log.error("{} failed to start: {}", e.replica(), e.reason());
        } else if (event instanceof ProcessExited e) {
            // Exits caused by the shutdown itself (killed by the stop signal) are expected.
            if (e.status().success() || shuttingDown) {
                log.info("{} {}", e.replica(), e.status().describe());
            } else {
                log.warn("{} {}", e.replica(), e.status().describe());
            }
        } else if (event instanceof StopEscalated e) {
            if (e.leaderExited()) {
                log.warn("{}: processes of its group still running {}ms after {}, sending SIGKILL", e.subject(),
                        e.after().toMillis(), e.signal().signalName());
            } else {
                log.warn("{} did not stop within {}ms after {}, sending SIGKILL", e.subject(),
                        e.after().toMillis(), e.signal().signalName());
            }
        } else if (event instanceof RestartScheduled e) {
            // Without a delay the "started ... (restart N)" line follows at once and says it all:
            // in a crash loop this is a third of the log.
            if (e.delay().isZero()) {
                log.debug("{} restarting now (restart {})", e.replica(), e.restartCount());
            } else {
                log.info("{} restarting in {}ms (restart {})", e.replica(), e.delay().toMillis(), e.restartCount());
            }
        } else if (event instanceof ReplicaStopped e) {
            switch (e.reason()) {
                case POLICY -> log.info("{} not restarting ({})", e.replica(), e.detail());
                case RESTART_LIMIT -> log.info("{} reached restart limit ({}), stopping", e.replica(), e.detail());
                case SHUTDOWN -> log.debug("{} stopped ({})", e.replica(), e.detail());
                case POLICY_ERROR -> log.error("{} stopped: restart policy failed: {}", e.replica(), e.detail());
                case OPERATOR -> log.info("{} stopped by operator ({})", e.replica(), e.detail());
                case DEPENDENCY -> log.error("{} stopped: dependency failed: {}", e.replica(), e.detail());
                case INTERNAL_ERROR -> log.error("{} stopped: internal error: {}", e.replica(), e.detail());
            }
        } else if (event instanceof DependencyWait e) {
            log.info("{} waiting for {}", e.replica(), String.join(", ", e.waitingFor()));
        } else if (event instanceof DependencyFailed e) {
            log.error("{}: dependency {} failed: {}", e.replica(), e.dependency(), e.detail());
        } else if (event instanceof ReadinessChanged e) {
            if (e.ready()) {
                log.info("{} is ready", e.replica());
            } else {
                log.warn("{} is not ready ({})", e.replica(), e.detail());
            }
        } else if (event instanceof LivenessFailed e) {
            log.warn("{} failed its liveness probe {} times ({}), stopping it", e.replica(),
                    e.failures(), e.detail());
        } else if (event instanceof ReloadApplied e) {
            reloaded(e);
        } else if (event instanceof ReloadRejected e) {
            e.problems().forEach(p -> log.error("Reload ({}): {}", e.origin(), p));
            log.error("Reload ({}) rejected: {} problem(s) in the config file, nothing applied", e.origin(),
                    e.problems().size());
        } else if (event instanceof OperatorRequest e) {
            log.info("{} {} requested ({})", capitalised(e.operation()), e.target(), e.origin());
        } else if (event instanceof SignalForwarded e) {
            log.info("Forwarded {} to {} running process(es)", e.signal().signalName(), e.processes());
        } else if (event instanceof ShutdownRequested e) {
            shuttingDown = true;
            log.info("Shutting down services ({})", e.cause());
        } else if (event instanceof JobResult e) {
            String next = e.nextRun().map(t -> "; next run " + t).orElse("");
            switch (e.result()) {
                case SUCCESS -> log.info("{} job run succeeded{}", e.replica(), next);
                case FAILURE -> log.warn("{} job run failed{}", e.replica(), next);
                case SKIPPED -> log.warn("{} job firing skipped: its last run still runs (overlap = skip){}", e.replica(), next);
            }
        } else if (event instanceof Draining e) {
            log.info("Draining for {}ms: /readyz answers 503, nothing is stopped yet (a second SIGTERM ends the drain)",
                    e.drain().toMillis());
        } else if (event instanceof DrainCut e) {
            log.info("{}: ending the drain, stopping services now", e.cause());
        } else if (event instanceof ShutdownHastened e) {
            log.warn("{}: skipping the rest of the grace period, sending SIGKILL", e.cause());
        } else if (event instanceof ShutdownTimedOut e) {
            log.warn("Services still running after shutdown-timeout-ms ({}ms), sending SIGKILL: {}",
                    e.timeout().toMillis(), String.join(", ", e.stillRunning()));
        } else if (event instanceof ShutdownIncomplete e) {
            log.error("Not seen to exit even after SIGKILL: {}; exiting anyway",
                    String.join(", ", e.remaining()));
        } else if (event instanceof LeftoversStopped e) {
            log.info("Stopped {} leftover process(es) that services had left running", e.count());
        } else if (event instanceof InternalError e) {
            log.error("internal error: {}", e.detail());
        } else if (event instanceof SupervisorStopped e) {
            log.info("The Carnival is over (exit code {})", e.exitCode());
        } else {
            log.warn("{}", event); // a new event type without its own words yet: still a line
        }
    }

    /** One line per service the reload changed, then the outcome. */
    private void reloaded(ReloadApplied e) {
        var result = e.result();
        for (var c : result.plan().services()) {
            if (c.action() == dev.carnival.api.reload.ReloadAction.NONE) {
                continue;
            }
            var outcome = result.services().stream().filter(o -> o.service().equals(c.service())).findFirst();
            if (outcome.isPresent() && outcome.get().halted().isPresent()) {
                log.error("Reload: {} {} halted at {}: {}", c.action().id(), c.service(), outcome.get().halted().get(),
                        outcome.get().detail());
            } else {
                log.info("Reload: {} {}{}", c.action().id(), c.service(),
                        c.changed().isEmpty() ? "" : " (" + String.join(", ", c.changed()) + ")");
            }
        }
        result.plan().notApplied().forEach(k -> log.warn("Reload: {} changed; it takes effect at the next start", k));
        log.info("Reload ({}) {}: generation {}", e.origin(), result.halted().isPresent() ? "halted" : "applied",
                result.generation());
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * Seconds with two decimals, rounded half up as {@code %.2f} prints them. Not String.format:
     * java.util.Formatter brings its locale data (some 40 classes) into every start.
     */
    static String seconds(Duration d) {
        long centis = (d.toNanos() + 5_000_000) / 10_000_000;
        long fraction = centis % 100;
        return centis / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
