package dev.carnival.runtime.cli;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Shell;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.runtime.plugin.Plugin;
import java.nio.file.Path;
import java.util.Map;

/** What {@code carnival check} prints: every value as Carnival will use it. */
final class CheckReport {
    private CheckReport() {}

    static String render(Path file, String format, CarnivalConfig config,
                         Map<String, Plugin<RestartPolicyProvider>> policies) {
        StringBuilder out = new StringBuilder();
        out.append("config: ").append(file).append(" (").append(format).append(")\n");
        out.append("global: shutdown-timeout-ms=").append(config.global().shutdownTimeout().toMillis())
                .append(" output-timestamps=").append(config.global().outputTimestamps()).append('\n');
        for (int i = 0; i < config.init().size(); i++) {
            InitCommand init = config.init().get(i);
            out.append("init ").append(i + 1).append(": ").append(Shell.join(init.commandLine()))
                    .append(dir(init.workingDir())).append('\n');
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
                out.append(" restart-options=").append(new java.util.TreeMap<>(s.restart().options()));
            }
            out.append(" restart-delay-ms=").append(s.restartDelay().toMillis())
                    .append(" restart-limit=").append(s.restartLimit() == 0 ? "unlimited" : s.restartLimit())
                    .append(" stop-signal=").append(s.stopSignal().signalName())
                    .append(" stop-timeout-ms=").append(s.stopTimeout().toMillis())
                    .append(" critical=").append(s.critical())
                    .append(" output=").append(s.output().name().toLowerCase(java.util.Locale.ROOT))
                    .append('\n');
        }
        out.append("ok: ").append(config.init().size()).append(" init command(s), ")
                .append(config.services().size()).append(" service(s), ")
                .append(replicas).append(" replica(s)\n");
        return out.toString();
    }

    private static String dir(Path workingDir) {
        return workingDir == null ? "" : "  (in " + workingDir + ")";
    }
}
