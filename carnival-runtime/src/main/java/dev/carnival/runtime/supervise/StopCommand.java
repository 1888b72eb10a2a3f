package dev.carnival.runtime.supervise;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.OutputSink;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's {@code stop-command}, run instead of sending the stop signal to stop one replica.
 * It runs as the replica's own processes do: the same process control (so the service's user),
 * the replica's environment plus {@code CARNIVAL_MAIN_PID}, its working directory and its output.
 * Whether it starts or how it ends changes nothing about the stop: the stop timeout runs from the
 * moment it was started, and SIGKILL to the replica's group follows as always (and to the stop
 * command's own group, if it still runs then). A failure is logged.
 *
 * @param argv       the command and its arguments
 * @param workingDir the service's working directory, or null for Carnival's own
 */
record StopCommand(List<String> argv, Path workingDir) {
    /** The pid of the process being stopped, for the stop command (e.g. {@code kill -QUIT $CARNIVAL_MAIN_PID}). */
    static final String MAIN_PID = "CARNIVAL_MAIN_PID";
    private static final Logger LOG = LoggerFactory.getLogger(StopCommand.class);

    StopCommand {
        argv = List.copyOf(argv);
    }

    /** The stop command of {@code service}, if it has one. */
    static Optional<StopCommand> of(ServiceConfig service) {
        return service.stopCommand().isEmpty() ? Optional.empty()
                : Optional.of(new StopCommand(service.stopCommand(), service.workingDir()));
    }

    /** What to start to stop {@code mainPid}, which ran with {@code environment}. */
    SpawnRequest request(Environment environment, long mainPid, OutputSink stdout, OutputSink stderr) {
        return new SpawnRequest(argv, environment.with(MAIN_PID, Long.toString(mainPid)), workingDir, stdout, stderr);
    }

    /**
     * Starts it to stop {@code replica}'s process {@code mainPid}; logs a failure to start, and
     * an exit that is not 0.
     *
     * @param control the replica's process control (its user's)
     * @return the stop command's process, or empty if it could not start
     */
    Optional<ChildProcess> start(ReplicaId replica, ProcessControl control, Environment environment, long mainPid,
                                 OutputSink stdout, OutputSink stderr) {
        ChildProcess child;
        try {
            child = control.spawn(request(environment, mainPid, stdout, stderr));
        } catch (SpawnException e) {
            LOG.warn("{}: stop command {} could not start: {}; SIGKILL follows at the stop timeout if it still runs",
                    replica, argv, e.getMessage());
            return Optional.empty();
        }
        // Logged from the reaper's thread: a log call only, never a wait.
        child.onExit().whenComplete((status, error) -> {
            if (error != null || !status.success()) {
                LOG.warn("{}: stop command {} {}; SIGKILL follows at the stop timeout if it still runs", replica, argv,
                        error != null ? "ended unreported: " + error : status.describe());
            }
        });
        return Optional.of(child);
    }
}
