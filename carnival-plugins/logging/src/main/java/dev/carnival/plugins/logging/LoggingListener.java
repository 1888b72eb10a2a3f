package dev.carnival.plugins.logging;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.InitFailed;
import dev.carnival.api.event.LifecycleEvent.InitFinished;
import dev.carnival.api.event.LifecycleEvent.InitStarted;
import dev.carnival.api.event.LifecycleEvent.ProcessExited;
import dev.carnival.api.event.LifecycleEvent.ProcessStarted;
import dev.carnival.api.event.LifecycleEvent.ReplicaStopped;
import dev.carnival.api.event.LifecycleEvent.RestartScheduled;
import dev.carnival.api.event.LifecycleEvent.ShutdownRequested;
import dev.carnival.api.event.LifecycleEvent.SpawnFailed;
import dev.carnival.api.event.LifecycleEvent.SupervisorStopped;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.Shell;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per lifecycle step, worded like the original Carnival's. */
public final class LoggingListener implements LifecycleListener {
    private static final Logger LOG = LoggerFactory.getLogger("carnival");

    /** Events reach a listener in order, on one thread: no synchronisation needed. */
    private boolean shuttingDown;

    @Override
    public void onEvent(LifecycleEvent event) {
        switch (event) {
            case InitStarted e -> LOG.info("Running init command {}: {}", e.index(), Shell.join(e.commandLine()));
            case InitFinished e -> LOG.info("Init command {} finished in {} seconds", e.index(),
                    String.format(Locale.ROOT, "%.2f", e.took().toNanos() / 1e9));
            case InitFailed e -> LOG.error("Init command {} failed: {}: {}", e.index(), Shell.join(e.commandLine()), e.reason());
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
                }
            }
            case ShutdownRequested e -> {
                shuttingDown = true;
                LOG.info("Shutting down services ({})", e.cause());
            }
            case SupervisorStopped e -> LOG.info("The Carnival is over (exit code {})", e.exitCode());
        }
    }
}
