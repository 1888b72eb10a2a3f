package dev.carnival.api;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.output.OutputListener;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.restart.RestartPolicyProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The embedding entry point.
 *
 * <pre>{@code
 * try (Supervisor s = Carnival.supervisor(config).listener(myListener).build()) {
 *     s.start();
 *     ...
 * }
 * }</pre>
 *
 * Needs carnival-runtime on the module path or class path at run time.
 */
public final class Carnival {
    private Carnival() {}

    /** Starts building a supervisor for {@code config}. */
    public static Builder supervisor(CarnivalConfig config) {
        return new Builder(config);
    }

    /** Reads a config file (TOML, or any format a plugin reads) into the model. */
    public static CarnivalConfig readConfig(Path file) throws ConfigException {
        return engine().read(file);
    }

    private static SupervisorEngine engine() {
        return ServiceLoader.load(SupervisorEngine.class, Carnival.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no Carnival engine found: put carnival-runtime on the module or class path"));
    }

    /** Configures an embedded supervisor. */
    public static final class Builder {
        private final CarnivalConfig config;
        private final List<LifecycleListener> listeners = new ArrayList<>();
        private final List<RestartPolicyProvider> policies = new ArrayList<>();
        private final List<ProbeProvider> probes = new ArrayList<>();
        private final List<OutputListener> outputListeners = new ArrayList<>();
        private boolean discoverPlugins = true;

        private Builder(CarnivalConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Adds a listener, on top of any discovered ones. */
        public Builder listener(LifecycleListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds a restart policy, on top of any discovered ones. */
        public Builder restartPolicy(RestartPolicyProvider provider) {
            policies.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Adds a probe provider, on top of any discovered ones: a service's
         * {@code [service.readiness] probe = "NAME"} finds it by its {@link ProbeProvider#name()}.
         */
        public Builder probe(ProbeProvider provider) {
            probes.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Adds a listener of the output lines of every captured service (whose {@code output} is
         * {@code prefix}, {@code raw} or {@code json}); see {@link OutputListener} for its thread and queue.
         */
        public Builder outputListener(OutputListener listener) {
            outputListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Whether to also use plugins found with ServiceLoader (default true). With false, only
         * what was added here is used.
         */
        public Builder discoverPlugins(boolean discover) {
            this.discoverPlugins = discover;
            return this;
        }

        /** Makes the supervisor (not started yet). */
        public Supervisor build() throws ConfigException {
            return engine().create(new SupervisorEngine.Request(config, listeners, policies, discoverPlugins,
                    probes, outputListeners));
        }
    }
}
