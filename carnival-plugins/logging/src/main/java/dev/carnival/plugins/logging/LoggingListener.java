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
import dev.carnival.api.event.LifecycleEvent.PreflightFailed;
import dev.carnival.api.event.LifecycleEvent.ProcessExited;
import dev.carnival.api.event.LifecycleEvent.ProcessStarted;
import dev.carnival.api.event.LifecycleEvent.ReadinessChanged;
import dev.carnival.api.event.LifecycleEvent.ReplicaStopped;
import dev.carnival.api.event.LifecycleEvent.RestartScheduled;
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
 */
public final class LoggingListener implements LifecycleListener {
    private static final Logger LOG = LoggerFactory.getLogger("carnival");

    /** Events reach a listener in order, on one thread: no synchronisation needed. */
    private boolean shuttingDown;

    @Override
    public void onEvent(LifecycleEvent event) {
        switch (event) {
            case SupervisorStarted e -> LOG.info("Process control: {}", e.processControl());
            case InitStarted e -> LOG.info("Running init command {}: {}", e.index(), Shell.join(e.commandLine()));
            case InitFinished e -> LOG.info("Init command {} finished in {} seconds", e.index(),
                    seconds(e.took()));
            case InitFailed e -> LOG.error("Init command {} failed: {}: {}", e.index(), Shell.join(e.commandLine()), e.reason());
            case PreflightFailed e -> e.problems().forEach(p -> LOG.error("{}", p));
            case NoServices e -> LOG.warn("No services configured, exiting");
            case ProcessStarted e -> LOG.info("{} started with PID {}{}", e.replica(), e.pid(),
                    e.restartCount() == 0 ? "" : " (restart " + e.restartCount() + ")");
            case SpawnFailed e -> LOG.error("{} failed to start: {}", e.replica(), e.reason());
            case ProcessExited e -> {
                // Exits caused by the shutdown itself (killed by the stop signal) are expected.
                if (e.status().success() || shuttingDown) {
                    LOG.info("{} {}", e.replica(), e.status().describe());
                } else {
                    LOG.warn("{} {}", e.replica(), e.status().describe());
                }
            }
            case StopEscalated e -> {
                if (e.leaderExited()) {
                    LOG.warn("{}: processes of its group still running {}ms after {}, sending SIGKILL", e.subject(),
                            e.after().toMillis(), e.signal().signalName());
                } else {
                    LOG.warn("{} did not stop within {}ms after {}, sending SIGKILL", e.subject(),
                            e.after().toMillis(), e.signal().signalName());
                }
            }
            case RestartScheduled e -> {
                // Without a delay the "started ... (restart N)" line follows at once and says it all:
                // in a crash loop this is a third of the log.
                if (e.delay().isZero()) {
                    LOG.debug("{} restarting now (restart {})", e.replica(), e.restartCount());
                } else {
                    LOG.info("{} restarting in {}ms (restart {})", e.replica(), e.delay().toMillis(), e.restartCount());
                }
            }
            case ReplicaStopped e -> {
                switch (e.reason()) {
                    case POLICY -> LOG.info("{} not restarting ({})", e.replica(), e.detail());
                    case RESTART_LIMIT -> LOG.info("{} reached restart limit ({}), stopping", e.replica(), e.detail());
                    case SHUTDOWN -> LOG.debug("{} stopped ({})", e.replica(), e.detail());
                    case POLICY_ERROR -> LOG.error("{} stopped: restart policy failed: {}", e.replica(), e.detail());
                    case OPERATOR -> LOG.info("{} stopped by operator ({})", e.replica(), e.detail());
                    case DEPENDENCY -> LOG.error("{} stopped: dependency failed: {}", e.replica(), e.detail());
                    case INTERNAL_ERROR -> LOG.error("{} stopped: internal error: {}", e.replica(), e.detail());
                }
            }
            case DependencyWait e -> LOG.info("{} waiting for {}", e.replica(), String.join(", ", e.waitingFor()));
            case DependencyFailed e -> LOG.error("{}: dependency {} failed: {}", e.replica(), e.dependency(), e.detail());
            case ReadinessChanged e -> {
                if (e.ready()) {
                    LOG.info("{} is ready", e.replica());
                } else {
                    LOG.warn("{} is not ready ({})", e.replica(), e.detail());
                }
            }
            case LivenessFailed e -> LOG.warn("{} failed its liveness probe {} times ({}), stopping it", e.replica(),
                    e.failures(), e.detail());
            case OperatorRequest e -> LOG.info("{} {} requested ({})", capitalised(e.operation()), e.target(), e.origin());
            case SignalForwarded e -> LOG.info("Forwarded {} to {} running process(es)", e.signal().signalName(),
                    e.processes());
            case ShutdownRequested e -> {
                shuttingDown = true;
                LOG.info("Shutting down services ({})", e.cause());
            }
            case ShutdownHastened e -> LOG.warn("{}: skipping the rest of the grace period, sending SIGKILL", e.cause());
            case ShutdownTimedOut e -> LOG.warn("Services still running after shutdown-timeout-ms ({}ms), sending SIGKILL: {}",
                    e.timeout().toMillis(), String.join(", ", e.stillRunning()));
            case ShutdownIncomplete e -> LOG.error("Not seen to exit even after SIGKILL: {}; exiting anyway",
                    String.join(", ", e.remaining()));
            case LeftoversStopped e -> LOG.info("Stopped {} leftover process(es) that services had left running",
                    e.count());
            case InternalError e -> LOG.error("internal error: {}", e.detail());
            case SupervisorStopped e -> LOG.info("The Carnival is over (exit code {})", e.exitCode());
        }
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
