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
import dev.carnival.api.event.LifecycleEvent.MemoryLimitExceeded;
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
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per lifecycle step, worded like the original Carnival's. This is where every line
 * of the supervisor's own log is written: the runtime reports facts as events only.
 *
 * <p>Events are told apart with {@code instanceof}, on every start's path (start-up rules:
 * StartupClassesIT in carnival-dist); {@code LoggingListenerTest} checks that every event type
 * has its own words and none reaches the last branch.
 */
public final class LoggingListener implements LifecycleListener {
    /** The system property that says Carnival's own lines are JSON: {@code json}; anything else is text. */
    public static final String FORMAT_PROPERTY = "carnival.log.format";

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
            log(Level.INFO, event, "Process control: {}", e.processControl());
        } else if (event instanceof InitStarted e) {
            log(Level.INFO, event, "Running init command {}: {}", e.index(), Shell.join(e.commandLine()));
        } else if (event instanceof InitFinished e) {
            log(Level.INFO, event, "Init command {} finished in {} seconds", e.index(), seconds(e.took()));
        } else if (event instanceof InitFailed e) {
            log(Level.ERROR, event, "Init command {} failed: {}: {}", e.index(), Shell.join(e.commandLine()), e.reason());
        } else if (event instanceof PreflightFailed e) {
            e.problems().forEach(p -> log(Level.ERROR, event, "{}", p));
        } else if (event instanceof NoServices) {
            log(Level.WARN, event, "No services configured, exiting");
        } else if (event instanceof ProcessStarted e) {
            log(Level.INFO, event, "{} started with PID {}{}", e.replica(), e.pid(),
                    e.restartCount() == 0 ? "" : " (restart " + e.restartCount() + ")");
        } else if (event instanceof SpawnFailed e) {
            log(Level.ERROR, event, "{} failed to start: {}", e.replica(), e.reason());
        } else if (event instanceof ProcessExited e) {
            // Exits caused by the shutdown itself (killed by the stop signal) are expected.
            if (e.status().success() || shuttingDown) {
                log(Level.INFO, event, "{} {}", e.replica(), e.status().describe());
            } else {
                log(Level.WARN, event, "{} {}", e.replica(), e.status().describe());
            }
        } else if (event instanceof StopEscalated e) {
            if (e.leaderExited()) {
                log(Level.WARN, event, "{}: processes of its group still running {}ms after {}, sending SIGKILL", e.subject(),
                        e.after().toMillis(), e.signal().signalName());
            } else {
                log(Level.WARN, event, "{} did not stop within {}ms after {}, sending SIGKILL", e.subject(),
                        e.after().toMillis(), e.signal().signalName());
            }
        } else if (event instanceof RestartScheduled e) {
            // Without a delay the "started ... (restart N)" line follows at once and says it all:
            // in a crash loop this is a third of the log.
            if (e.delay().isZero()) {
                log(Level.DEBUG, event, "{} restarting now (restart {})", e.replica(), e.restartCount());
            } else {
                log(Level.INFO, event, "{} restarting in {}ms (restart {})", e.replica(), e.delay().toMillis(), e.restartCount());
            }
        } else if (event instanceof ReplicaStopped e) {
            switch (e.reason()) {
                case POLICY -> log(Level.INFO, event, "{} not restarting ({})", e.replica(), e.detail());
                case RESTART_LIMIT -> log(Level.INFO, event, "{} reached restart limit ({}), stopping", e.replica(), e.detail());
                case SHUTDOWN -> log(Level.DEBUG, event, "{} stopped ({})", e.replica(), e.detail());
                case POLICY_ERROR -> log(Level.ERROR, event, "{} stopped: restart policy failed: {}", e.replica(), e.detail());
                case OPERATOR -> log(Level.INFO, event, "{} stopped by operator ({})", e.replica(), e.detail());
                case DEPENDENCY -> log(Level.ERROR, event, "{} stopped: dependency failed: {}", e.replica(), e.detail());
                case INTERNAL_ERROR -> log(Level.ERROR, event, "{} stopped: internal error: {}", e.replica(), e.detail());
            }
        } else if (event instanceof DependencyWait e) {
            log(Level.INFO, event, "{} waiting for {}", e.replica(), String.join(", ", e.waitingFor()));
        } else if (event instanceof DependencyFailed e) {
            log(Level.ERROR, event, "{}: dependency {} failed: {}", e.replica(), e.dependency(), e.detail());
        } else if (event instanceof ReadinessChanged e) {
            if (e.ready()) {
                log(Level.INFO, event, "{} is ready", e.replica());
            } else {
                log(Level.WARN, event, "{} is not ready ({})", e.replica(), e.detail());
            }
        } else if (event instanceof LivenessFailed e) {
            log(Level.WARN, event, "{} failed its liveness probe {} times ({}), stopping it", e.replica(),
                    e.failures(), e.detail());
        } else if (event instanceof MemoryLimitExceeded e) {
            log(Level.WARN, event, "{} {}: stopping", e.replica(), e.describe());
        } else if (event instanceof ReloadApplied e) {
            reloaded(e);
        } else if (event instanceof ReloadRejected e) {
            e.problems().forEach(p -> log(Level.ERROR, event, "Reload ({}): {}", e.origin(), p));
            log(Level.ERROR, event, "Reload ({}) rejected: {} problem(s) in the config file, nothing applied", e.origin(),
                    e.problems().size());
        } else if (event instanceof OperatorRequest e) {
            log(Level.INFO, event, "{} {} requested ({})", capitalised(e.operation()), e.target(), e.origin());
        } else if (event instanceof SignalForwarded e) {
            log(Level.INFO, event, "Forwarded {} to {} running process(es)", e.signal().signalName(), e.processes());
        } else if (event instanceof ShutdownRequested e) {
            shuttingDown = true;
            log(Level.INFO, event, "Shutting down services ({})", e.cause());
        } else if (event instanceof JobResult e) {
            String next = e.nextRun().map(t -> "; next run " + t).orElse("");
            switch (e.result()) {
                case SUCCESS -> log(Level.INFO, event, "{} job run succeeded{}", e.replica(), next);
                case FAILURE -> log(Level.WARN, event, "{} job run failed{}", e.replica(), next);
                case SKIPPED -> log(Level.WARN, event, "{} job firing skipped: its last run still runs (overlap = skip){}", e.replica(), next);
            }
        } else if (event instanceof Draining e) {
            log(Level.INFO, event, "Draining for {}ms: /readyz answers 503, nothing is stopped yet (a second SIGTERM ends the drain)",
                    e.drain().toMillis());
        } else if (event instanceof DrainCut e) {
            log(Level.INFO, event, "{}: ending the drain, stopping services now", e.cause());
        } else if (event instanceof ShutdownHastened e) {
            log(Level.WARN, event, "{}: skipping the rest of the grace period, sending SIGKILL", e.cause());
        } else if (event instanceof ShutdownTimedOut e) {
            log(Level.WARN, event, "Services still running after shutdown-timeout-ms ({}ms), sending SIGKILL: {}",
                    e.timeout().toMillis(), String.join(", ", e.stillRunning()));
        } else if (event instanceof ShutdownIncomplete e) {
            log(Level.ERROR, event, "Not seen to exit even after SIGKILL: {}; exiting anyway",
                    String.join(", ", e.remaining()));
        } else if (event instanceof LeftoversStopped e) {
            log(Level.INFO, event, "Stopped {} leftover process(es) that services had left running", e.count());
        } else if (event instanceof InternalError e) {
            log(Level.ERROR, event, "internal error: {}", e.detail());
        } else if (event instanceof SupervisorStopped e) {
            log(Level.INFO, event, "The Carnival is over (exit code {})", e.exitCode());
        } else {
            log(Level.WARN, event, "{}", event); // a new event type without its own words yet: still a line
        }
    }

    /**
     * One line at {@code level}. With {@code log-format = "json"} (the command sets
     * {@value #FORMAT_PROPERTY}), the event's fields go along as SLF4J key-value pairs for the
     * JSON line; otherwise the plain call, so that no backend prints them into the text.
     */
    private void log(Level level, LifecycleEvent event, String format, Object... arguments) {
        if (!"json".equals(System.getProperty(FORMAT_PROPERTY))) {
            switch (level) {
                case ERROR -> log.error(format, arguments);
                case WARN -> log.warn(format, arguments);
                case INFO -> log.info(format, arguments);
                case DEBUG -> log.debug(format, arguments);
                case TRACE -> log.trace(format, arguments);
            }
            return;
        }
        LoggingEventBuilder line = log.atLevel(level);
        EventFields.of(event).forEach(line::addKeyValue);
        line.log(format, arguments);
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
                log(Level.ERROR, e, "Reload: {} {} halted at {}: {}", c.action().id(), c.service(), outcome.get().halted().get(),
                        outcome.get().detail());
            } else {
                log(Level.INFO, e, "Reload: {} {}{}", c.action().id(), c.service(),
                        c.changed().isEmpty() ? "" : " (" + String.join(", ", c.changed()) + ")");
            }
        }
        result.plan().notApplied().forEach(k -> log(Level.WARN, e, "Reload: {} changed; it takes effect at the next start", k));
        log(Level.INFO, e, "Reload ({}) {}: generation {}", e.origin(), result.halted().isPresent() ? "halted" : "applied",
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
