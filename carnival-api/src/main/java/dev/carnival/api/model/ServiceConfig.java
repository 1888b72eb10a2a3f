package dev.carnival.api.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A supervised service ({@code [[service]]}): a command run as {@code replicas} independent
 * copies, each restarted according to {@code restart}.
 *
 * @param restartLimit runs in total per replica; 0 means unlimited
 * @param workingDir   the directory to run in, or {@code null} for the supervisor's own
 * @param critical     when this service stops for good, the whole supervisor shuts down
 * @param output       where its stdout and stderr go
 * @param env          variables set on top of the global ones: its {@code env-file}s', then its
 *                     {@code env} table's; {@link EnvVars#RESERVED} are Carnival's to set
 * @param user         the user to run as (a name or a uid), or {@code null} for Carnival's own
 * @param group        the group to run as (a name or a gid), or {@code null} for the user's primary group
 * @param dependsOn    the services it waits for, and for what ({@code depends-on}), in the order written
 * @param readiness    its readiness probe, if any ({@code [service.readiness]})
 * @param liveness     its liveness probe, if any ({@code [service.liveness]})
 * @param monitoring   its own buffer size and memory limit, if any
 * @param job          its schedule, if it is a scheduled job ({@code schedule} and the keys beside it)
 * @param successExitCodes the exit codes that count as success ({@code success-exit-codes})
 * @param stopCommand  {@code stop-command}: the argv run to stop a replica instead of sending
 *                     {@code stopSignal}; empty for none
 * @param oomScoreAdj  its processes' {@code oom_score_adj} ({@code oom-score-adj}, -1000 to 1000), if
 *                     set; else the supervisor's default, which puts them ahead of it for the OOM killer
 * @param rollout      how a reload or a rolling restart replaces its replicas
 */
public record ServiceConfig(
        String name,
        String command,
        List<String> args,
        int replicas,
        RestartSpec restart,
        Duration restartDelay,
        int restartLimit,
        Duration stopTimeout,
        Signal stopSignal,
        Path workingDir,
        boolean critical,
        OutputMode output,
        Map<String, String> env,
        String user,
        String group,
        Map<String, Condition> dependsOn,
        Optional<ProbeSpec> readiness,
        Optional<ProbeSpec> liveness,
        ServiceMonitoring monitoring,
        Optional<JobSpec> job,
        SuccessExitCodes successExitCodes,
        List<String> stopCommand,
        OptionalInt oomScoreAdj,
        RolloutSpec rollout) {

    /**
     * Copies the collections and rejects what no config file may say: a blank name, negative
     * counts or durations, a group without a user, a log-line probe or buffer without captured
     * output, a log-line liveness probe, a blank stop command, a job that restarts {@code always},
     * an {@code oom-score-adj} outside -1000 to 1000.
     */
    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(restartDelay, "restartDelay");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(stopSignal, "stopSignal");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(successExitCodes, "successExitCodes");
        Objects.requireNonNull(oomScoreAdj, "oomScoreAdj");
        Objects.requireNonNull(rollout, "rollout");
        args = List.copyOf(args);
        stopCommand = List.copyOf(stopCommand);
        dependsOn = Collections.unmodifiableMap(new LinkedHashMap<>(dependsOn));
        if (name.isBlank()) {
            throw new IllegalArgumentException("service name must not be blank");
        }
        if (replicas < 0 || restartLimit < 0 || restartDelay.isNegative() || stopTimeout.isNegative()) {
            throw new IllegalArgumentException("service '" + name + "': counts and durations must not be negative");
        }
        env = EnvVars.checked(env, "service '" + name + "'");
        if (group != null && user == null) {
            throw new IllegalArgumentException("service '" + name + "': a group needs a user");
        }
        if (readiness.filter(ProbeSpec::isLogLine).isPresent() && !output.captured()) {
            throw new IllegalArgumentException("service '" + name + "': a log-line readiness needs a captured output"
                    + " (prefix, raw or json), not inherit");
        }
        if (monitoring.logBufferLines().isPresent() && !output.captured()) {
            throw new IllegalArgumentException("service '" + name + "': log-buffer-lines needs a captured output"
                    + " (prefix, raw or json), not inherit");
        }
        if (liveness.filter(ProbeSpec::isLogLine).isPresent()) {
            throw new IllegalArgumentException("service '" + name + "': log-line is for readiness, not liveness");
        }
        if (!stopCommand.isEmpty() && stopCommand.getFirst().isBlank()) {
            throw new IllegalArgumentException("service '" + name + "': stop-command must name a command");
        }
        if (job.isPresent() && restart.policy().equals("always")) {
            throw new IllegalArgumentException("service '" + name + "': a scheduled job cannot restart \"always\"");
        }
        if (oomScoreAdj.isPresent() && Math.abs(oomScoreAdj.getAsInt()) > 1000) {
            throw new IllegalArgumentException("service '" + name + "': oom-score-adj must be from -1000 to 1000");
        }
    }

    /** Whether {@code status} counts as success for this service ({@link #successExitCodes()}). */
    public boolean succeeded(ExitStatus status) {
        return successExitCodes.test(status);
    }

    /** A service run as Carnival's own user with no variables of its own. */
    public ServiceConfig(String name, String command, List<String> args, int replicas, RestartSpec restart,
                         Duration restartDelay, int restartLimit, Duration stopTimeout, Signal stopSignal,
                         Path workingDir, boolean critical, OutputMode output) {
        this(name, command, args, replicas, restart, restartDelay, restartLimit, stopTimeout, stopSignal,
                workingDir, critical, output, Map.of(), null, null, Map.of(), Optional.empty(), Optional.empty(),
                ServiceMonitoring.DEFAULT, Optional.empty(), SuccessExitCodes.DEFAULT, List.of(),
                OptionalInt.empty(), RolloutSpec.DEFAULT);
    }

    /** The command followed by its arguments. */
    public List<String> commandLine() {
        return Shell.argv(command, args);
    }

    /** This service running {@code command} with {@code args} instead, every other setting the same. */
    public ServiceConfig withCommand(String command, List<String> args) {
        return new ServiceConfig(name, command, args, replicas, restart, restartDelay, restartLimit, stopTimeout,
                stopSignal, workingDir, critical, output, env, user, group, dependsOn, readiness, liveness, monitoring,
                job, successExitCodes, stopCommand, oomScoreAdj, rollout);
    }

    /** Starts a builder with the original Carnival's defaults. */
    public static Builder builder(String name, String command) {
        return new Builder(name, command);
    }

    /** Builds a {@link ServiceConfig} in code; defaults match a config file's. */
    public static final class Builder {
        private final String name;
        private final String command;
        private List<String> args = List.of();
        private int replicas = 1;
        private RestartSpec restart = RestartSpec.NO;
        private Duration restartDelay = Duration.ofMillis(1000);
        private int restartLimit;
        private Duration stopTimeout = Duration.ofMillis(10_000);
        private Signal stopSignal = Signal.TERM;
        private Path workingDir;
        private boolean critical;
        private OutputMode output = OutputMode.INHERIT;
        private Map<String, String> env = Map.of();
        private String user;
        private String group;
        private Map<String, Condition> dependsOn = Map.of();
        private ProbeSpec readiness;
        private ProbeSpec liveness;
        private ServiceMonitoring monitoring = ServiceMonitoring.DEFAULT;
        private JobSpec job;
        private SuccessExitCodes successExitCodes = SuccessExitCodes.DEFAULT;
        private List<String> stopCommand = List.of();
        private OptionalInt oomScoreAdj = OptionalInt.empty();
        private RolloutSpec rollout = RolloutSpec.DEFAULT;

        private Builder(String name, String command) {
            this.name = name;
            this.command = command;
        }

        /** The command's arguments. */
        public Builder args(String... args) {
            this.args = List.of(args);
            return this;
        }

        /** The command's arguments. */
        public Builder args(List<String> args) {
            this.args = List.copyOf(args);
            return this;
        }

        /** How many copies run (default 1). */
        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        /** The restart policy by name, without options (default {@code no}). */
        public Builder restart(String policy) {
            this.restart = RestartSpec.of(policy);
            return this;
        }

        /** The restart policy and its options (default {@code no}). */
        public Builder restart(RestartSpec restart) {
            this.restart = restart;
            return this;
        }

        /** The delay before a restart (default 1 s). */
        public Builder restartDelay(Duration restartDelay) {
            this.restartDelay = restartDelay;
            return this;
        }

        /** Runs in total per replica; 0, the default, means unlimited. */
        public Builder restartLimit(int restartLimit) {
            this.restartLimit = restartLimit;
            return this;
        }

        /** How long a replica gets after its stop signal before SIGKILL (default 10 s). */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
            return this;
        }

        /** The signal that asks a replica to stop (default SIGTERM). */
        public Builder stopSignal(Signal stopSignal) {
            this.stopSignal = stopSignal;
            return this;
        }

        /** The directory to run in, or {@code null} (the default) for the supervisor's own. */
        public Builder workingDir(Path workingDir) {
            this.workingDir = workingDir;
            return this;
        }

        /** Whether the supervisor shuts down when this service stops for good (default false). */
        public Builder critical(boolean critical) {
            this.critical = critical;
            return this;
        }

        /** Where its stdout and stderr go (default {@code inherit}). */
        public Builder output(OutputMode output) {
            this.output = output;
            return this;
        }

        /** Variables on top of the global ones, in this order. */
        public Builder env(Map<String, String> env) {
            this.env = env;
            return this;
        }

        /** Runs as this user (a name or a uid) instead of Carnival's own. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Runs with this group (a name or a gid) instead of the user's primary group. */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        /** The services this one waits for; iteration order is kept. */
        public Builder dependsOn(Map<String, Condition> dependsOn) {
            this.dependsOn = new LinkedHashMap<>(dependsOn);
            return this;
        }

        /** Its readiness probe, or {@code null} for none. */
        public Builder readiness(ProbeSpec readiness) {
            this.readiness = readiness;
            return this;
        }

        /** Its liveness probe, or {@code null} for none. */
        public Builder liveness(ProbeSpec liveness) {
            this.liveness = liveness;
            return this;
        }

        /** Its own buffer size and memory limit. */
        public Builder monitoring(ServiceMonitoring monitoring) {
            this.monitoring = monitoring;
            return this;
        }

        /** Makes it a scheduled job, or ({@code null}) a service. */
        public Builder job(JobSpec job) {
            this.job = job;
            return this;
        }

        /** The exit codes that count as success. */
        public Builder successExitCodes(SuccessExitCodes successExitCodes) {
            this.successExitCodes = successExitCodes;
            return this;
        }

        /** The command run to stop a replica instead of sending the stop signal; empty for none. */
        public Builder stopCommand(List<String> stopCommand) {
            this.stopCommand = List.copyOf(stopCommand);
            return this;
        }

        /** Its processes' {@code oom_score_adj}, from -1000 to 1000, instead of the supervisor's default. */
        public Builder oomScoreAdj(int oomScoreAdj) {
            this.oomScoreAdj = OptionalInt.of(oomScoreAdj);
            return this;
        }

        /** How a reload or a rolling restart replaces its replicas. */
        public Builder rollout(RolloutSpec rollout) {
            this.rollout = rollout;
            return this;
        }

        /** The service; the checks of {@link ServiceConfig}'s constructor apply. */
        public ServiceConfig build() {
            return new ServiceConfig(name, command, args, replicas, restart, restartDelay, restartLimit,
                    stopTimeout, stopSignal, workingDir, critical, output, env, user, group, dependsOn,
                    Optional.ofNullable(readiness), Optional.ofNullable(liveness), monitoring,
                    Optional.ofNullable(job), successExitCodes, stopCommand, oomScoreAdj, rollout);
        }
    }
}
