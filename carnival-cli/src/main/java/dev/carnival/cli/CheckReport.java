package dev.carnival.cli;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Shell;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.runtime.depend.DependencyGraph;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.process.Accounts;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.compose.ProcessSetup;
import dev.carnival.runtime.schedule.JobPlan;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.StringJoiner;

/** What {@code carnival check} prints: every value as Carnival will use it. */
final class CheckReport {
    private static final Accounts ACCOUNTS = Accounts.system();
    private static final List<String> SECRET_WORDS = List.of("PASSWORD", "SECRET", "TOKEN", "KEY");

    private CheckReport() {}

    /**
     * @param environment Carnival's own environment: the plan shows the variables [global] sets
     *                    over it, then each process's over those
     * @param now         when each job's next runs are counted from
     */
    static String render(Path file, String format, CarnivalConfig config,
                         Map<String, Plugin<RestartPolicyProvider>> policies, Map<String, String> environment,
                         DependencyGraph graph, Instant now) {
        Environment base = ProcessSetup.base(environment, config.global());
        StringBuilder out = new StringBuilder();
        out.append("config: ").append(file).append(" (").append(format).append(")\n");
        out.append("global: shutdown-timeout-ms=").append(config.global().shutdownTimeout().toMillis())
                .append(" output-timestamps=").append(config.global().outputTimestamps())
                .append(" drain-ms=").append(config.global().drain().toMillis()).append('\n');
        if (variables(out, environment, base) > 0) {
            out.append("  env: over Carnival's own environment; each init command and service gets these too\n");
        }
        for (int i = 0; i < config.init().size(); i++) {
            InitCommand init = config.init().get(i);
            out.append("init ").append(i + 1).append(": ").append(Shell.join(init.commandLine()))
                    .append(dir(init.workingDir())).append('\n');
            setup(out, base, ProcessSetup.checked(() -> ProcessSetup.of(base, config.global(), init, ACCOUNTS)));
        }
        int replicas = 0;
        for (ServiceConfig s : config.services()) {
            replicas += s.replicas();
            Plugin<RestartPolicyProvider> policy = policies.get(s.restart().policy());
            out.append("service ").append(s.name()).append(": ").append(Shell.join(s.commandLine()))
                    .append(dir(s.workingDir())).append('\n');
            out.append("  replicas=").append(s.replicas())
                    .append(" restart=").append(s.restart().policy())
                    .append(" (module ").append(policy == null ? "?" : policy.module()).append(')');
            if (!s.restart().options().isEmpty()) {
                out.append(" restart-options=").append(new TreeMap<>(s.restart().options()));
            }
            out.append(" restart-delay-ms=").append(s.restartDelay().toMillis())
                    .append(" restart-limit=").append(s.restartLimit() == 0 ? "unlimited" : s.restartLimit())
                    .append(" stop-signal=").append(s.stopSignal().signalName())
                    .append(" stop-timeout-ms=").append(s.stopTimeout().toMillis())
                    .append(" critical=").append(s.critical())
                    .append(" output=").append(s.output().name().toLowerCase(Locale.ROOT))
                    .append(" success-exit-codes=").append(s.successExitCodes().codes())
                    .append('\n');
            if (!s.stopCommand().isEmpty()) {
                out.append("  stop-command: ").append(Shell.join(s.stopCommand())).append('\n');
            }
            s.job().ifPresent(job -> out.append(JobPlan.describe(job, now, 3)));
            setup(out, base, ProcessSetup.checked(() -> ProcessSetup.of(base, config.global(), s, ACCOUNTS)));
            if (!s.dependsOn().isEmpty()) {
                StringJoiner deps = new StringJoiner(", ", "  depends-on: ", "\n");
                s.dependsOn().forEach((dep, condition) -> deps.add(dep + " (" + condition.id() + ")"));
                out.append(deps);
            }
            s.readiness().ifPresent(p -> out.append("  readiness: ").append(probe(p)).append('\n'));
            s.liveness().ifPresent(p -> out.append("  liveness: ").append(probe(p)).append('\n'));
        }
        out.append("start order: ").append(graph.describe()).append('\n');
        out.append("ok: ").append(config.init().size()).append(" init command(s), ")
                .append(config.services().size()).append(" service(s), ")
                .append(replicas).append(" replica(s)\n");
        return out.toString();
    }

    /** Who the process runs as, and the variables it gets beyond [global]'s. */
    private static void setup(StringBuilder out, Map<String, String> base, ProcessSetup setup) {
        if (setup.credentials() != null) {
            out.append("  user: ").append(setup.credentials()).append('\n');
        }
        variables(out, base, setup.environment());
    }

    /**
     * Each variable of {@code env} that {@code over} does not already hold with the same value,
     * sorted, secret-looking values masked; how many.
     */
    private static int variables(StringBuilder out, Map<String, String> over, Map<String, String> env) {
        int shown = 0;
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!e.getValue().equals(over.get(e.getKey()))) {
                out.append("  env ").append(e.getKey()).append('=').append(shown(e.getKey(), e.getValue())).append('\n');
                shown++;
            }
        }
        return shown;
    }

    private static String shown(String key, String value) {
        String upper = key.toUpperCase(Locale.ROOT);
        if (SECRET_WORDS.stream().anyMatch(upper::contains)) {
            return "****";
        }
        return Shell.quote(value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"));
    }

    private static String probe(ProbeSpec p) {
        if (p.notifies()) {
            return "notify (READY=1 on $NOTIFY_SOCKET)";
        }
        String target = p.probe().equals("exec") ? Shell.join(p.target()) : String.join(" ", p.target());
        return p.probe() + (target.isEmpty() ? "" : " " + target)
                + (p.options().isEmpty() ? "" : " options=" + new java.util.TreeMap<>(p.options()))
                + " period-ms=" + p.period().toMillis() + " timeout-ms=" + p.timeout().toMillis()
                + " initial-delay-ms=" + p.initialDelay().toMillis() + " success-threshold=" + p.successThreshold()
                + " failure-threshold=" + p.failureThreshold();
    }

    private static String dir(Path workingDir) {
        return workingDir == null ? "" : "  (in " + workingDir + ")";
    }
}
