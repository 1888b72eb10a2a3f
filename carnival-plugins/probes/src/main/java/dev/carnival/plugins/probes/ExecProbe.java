package dev.carnival.plugins.probes;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeOptions;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.probe.ProbeResult;
import java.util.List;

/**
 * {@code exec = ["cmd", "arg"...]}: success when the command exits 0 within the timeout. It runs
 * through Carnival's process control ({@link dev.carnival.api.probe.ProbeContext#exec}), which
 * kills its group at the timeout.
 */
public final class ExecProbe implements ProbeProvider {
    @Override
    public String name() {
        return "exec";
    }

    @Override
    public Probe create(ProbeOptions options) throws ConfigException {
        List<String> argv = options.target();
        if (argv.isEmpty() || argv.getFirst().isBlank()) {
            throw new ConfigException(options.location(), "exec probe needs a command: exec = [\"command\", \"arg\"...]");
        }
        return context -> context.exec(argv).thenApply(status -> new ProbeResult(status.success(), status.describe()));
    }
}
