package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Limits;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.UserText;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ReloadTriggers;
import dev.carnival.api.model.RestartSpec;
import dev.carnival.api.model.RolloutSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Turns any {@link ConfigNode} tree into the typed model, the same way for every format: keys in
 * kebab-case or snake_case, {@link Interpolator environment interpolation} in every string and
 * number, numbers given as strings, the original Carnival's defaults, and an error naming the
 * key and its location for anything unknown, mistyped or out of range.
 *
 * <p>Each table kind below declares each of its keys once: name, parser, and where the value
 * goes. To add a key, add one line to its table; a nested table with keys of its own is a
 * {@link TableKind} of its own, declared with {@link Parsers#table}.
 */
public final class ConfigBinder {

    /** {@code [global]}; {@code output} there is the default of every service's. */
    private static final class GlobalDraft {
        Duration shutdownTimeout = GlobalConfig.DEFAULT.shutdownTimeout();
        boolean outputTimestamps = GlobalConfig.DEFAULT.outputTimestamps();
        OutputMode output = OutputMode.INHERIT;
        Map<String, String> envFiles = Map.of();
        Map<String, String> env = Map.of();
        String controlSocket;
        String httpListen;
        final MonitoringKeys.GlobalDraft monitoring = new MonitoringKeys.GlobalDraft();
        Duration drain = GlobalConfig.DEFAULT.drain();
        Signal reloadSignal;
        boolean watchConfig;

        GlobalConfig build() {
            return new GlobalConfig(shutdownTimeout, outputTimestamps, EnvKeys.merge(envFiles, env),
                    Optional.ofNullable(controlSocket), Optional.ofNullable(httpListen), monitoring.build(), drain,
                    new ReloadTriggers(Optional.ofNullable(reloadSignal), watchConfig));
        }
    }

    private static final TableKind<GlobalDraft> GLOBAL = TableKind.of("[global]", GlobalDraft::new, null,
            Key.optional("shutdown-timeout-ms", Parsers.millis(), (d, v) -> d.shutdownTimeout = v),
            Key.optional("output", Parsers.output(), (d, v) -> d.output = v),
            Key.optional("output-timestamps", Parsers.bool(), (d, v) -> d.outputTimestamps = v),
            Key.optional("env-file", EnvKeys.files(), (d, v) -> d.envFiles = v),
            Key.optional("env", EnvKeys.table(), (d, v) -> d.env = v),
            Key.optional("control-socket", Parsers.nonEmpty(), (d, v) -> d.controlSocket = v),
            Key.optional("http-listen", Parsers.listenAddress(), (d, v) -> d.httpListen = v),
            Key.optional("log-format", MonitoringKeys.logFormat(), (d, v) -> d.monitoring.logFormat = v),
            Key.optional("log-buffer-lines", Parsers.count(), (d, v) -> d.monitoring.logBufferLines = v),
            Key.optional("resource-period-ms", Parsers.millis(), (d, v) -> d.monitoring.resourcePeriod = v),
            Key.optional("drain-ms", Parsers.millis(), (d, v) -> d.drain = v),
            Key.optional("reload-signal", ReloadKeys.signal(), (d, v) -> d.reloadSignal = v),
            Key.optional("watch-config", Parsers.bool(), (d, v) -> d.watchConfig = v));

    /** What {@code [[init]]} and {@code [[service]]} both take: their variables and their user. */
    private abstract static class ProcessDraft {
        Map<String, String> envFiles = Map.of();
        Map<String, String> env = Map.of();
        String user;
        String group;

        /** A group without a user is reported, then dropped, so the rest can still be bound. */
        void checkGroup(Map<String, Location> locations, String groupPath, String label, Problems problems) {
            if (group != null && user == null) {
                problems.add(new ConfigException(locations.get(groupPath), "'group' in " + label + " needs a 'user'"));
                group = null;
            }
        }
    }

    private static final class InitDraft extends ProcessDraft {
        String command = "?";
        List<String> args = List.of();
        Path workingDir;

        InitCommand build() {
            return new InitCommand(command, args, workingDir, EnvKeys.merge(envFiles, env), user, group);
        }
    }

    private static final TableKind<InitDraft> INIT = TableKind.of("[[init]]", InitDraft::new, null,
            Key.required("command", Parsers.nonEmpty(), (d, v) -> d.command = v),
            Key.optional("args", Parsers.args(), (d, v) -> d.args = v),
            Key.optional("working-dir", Parsers.path(), (d, v) -> d.workingDir = v),
            Key.optional("env-file", EnvKeys.files(), (d, v) -> d.envFiles = v),
            Key.optional("env", EnvKeys.table(), (d, v) -> d.env = v),
            Key.optional("user", Parsers.account(), (d, v) -> d.user = v),
            Key.optional("group", Parsers.account(), (d, v) -> d.group = v));

    /**
     * A service as bound so far. The builder needs the name and command first, so every other
     * setting waits in {@code settings} until {@link #build}.
     */
    private static final class ServiceDraft extends ProcessDraft {
        String name;
        String command = "?";
        String policy = RestartSpec.NO.policy();
        Map<String, String> restartOptions = Map.of();
        OutputMode output;
        ProbeSpec readiness;
        final MonitoringKeys.ServiceDraft monitoring = new MonitoringKeys.ServiceDraft();
        final JobKeys.Draft job = new JobKeys.Draft();
        RolloutSpec.Strategy rollout = RolloutSpec.DEFAULT.strategy();
        Duration rolloutTimeout = RolloutSpec.DEFAULT.timeout();
        final List<Consumer<ServiceConfig.Builder>> settings = new ArrayList<>();

        /** Null when the service has no usable name: it cannot be told apart from the others. */
        ServiceConfig build(GlobalDraft global, String path, Map<String, Location> locations, Problems problems) {
            if (name == null) {
                return null;
            }
            OutputMode mode = output == null ? global.output : output;
            String label = "[[service]] " + UserText.quote(name);
            monitoring.check(mode, global.monitoring.build(), label, path, locations, problems);
            boolean keepReadiness = MonitoringKeys.checkReadiness(readiness, mode, label, path, locations, problems);
            ServiceConfig.Builder b = ServiceConfig.builder(name, command)
                    .restart(new RestartSpec(policy, restartOptions))
                    .output(mode)
                    .readiness(keepReadiness ? readiness : null)
                    .monitoring(monitoring.build())
                    .env(EnvKeys.merge(envFiles, env))
                    .user(user)
                    .group(group)
                    .job(job.spec())
                    .rollout(new RolloutSpec(rollout, rolloutTimeout));
            settings.forEach(s -> s.accept(b));
            return b.build();
        }
    }

    /** Where a value goes when it is one of {@link ServiceConfig.Builder}'s settings. */
    private static <T> BiConsumer<ServiceDraft, T> builder(BiConsumer<ServiceConfig.Builder, T> setter) {
        return (d, v) -> d.settings.add(b -> setter.accept(b, v));
    }

    private static final TableKind<ServiceDraft> SERVICE = TableKind.of("[[service]]", ServiceDraft::new, d -> d.name,
            Key.required("name", Parsers.name(), (d, v) -> d.name = v),
            Key.required("command", Parsers.nonEmpty(), (d, v) -> d.command = v),
            Key.optional("args", Parsers.args(), builder(ServiceConfig.Builder::args)),
            Key.optional("replicas", Parsers.count(), builder(ServiceConfig.Builder::replicas)),
            Key.optional("restart", Parsers.text(), (d, v) -> d.policy = v),
            Key.optional("restart-options", Parsers.options(), (d, v) -> d.restartOptions = v),
            Key.optional("restart-delay-ms", Parsers.millis(), builder(ServiceConfig.Builder::restartDelay)),
            Key.optional("restart-limit", Parsers.count(), builder(ServiceConfig.Builder::restartLimit)),
            Key.optional("stop-timeout-ms", Parsers.millis(), builder(ServiceConfig.Builder::stopTimeout)),
            Key.optional("stop-signal", Parsers.signal(), builder(ServiceConfig.Builder::stopSignal)),
            Key.optional("working-dir", Parsers.path(), builder(ServiceConfig.Builder::workingDir)),
            Key.optional("critical", Parsers.bool(), builder(ServiceConfig.Builder::critical)),
            Key.optional("output", Parsers.output(), (d, v) -> d.output = v),
            Key.optional("env-file", EnvKeys.files(), (d, v) -> d.envFiles = v),
            Key.optional("env", EnvKeys.table(), (d, v) -> d.env = v),
            Key.optional("user", Parsers.account(), (d, v) -> d.user = v),
            Key.optional("group", Parsers.account(), (d, v) -> d.group = v),
            Key.optional("depends-on", OrchestrationKeys.dependsOn(), builder(ServiceConfig.Builder::dependsOn)),
            Key.optional("readiness", OrchestrationKeys.probe(false), (d, v) -> d.readiness = v),
            Key.optional("liveness", OrchestrationKeys.probe(true), builder(ServiceConfig.Builder::liveness)),
            Key.optional("log-buffer-lines", Parsers.count(), (d, v) -> d.monitoring.logBufferLines = v),
            Key.optional("max-memory", MonitoringKeys.size(), (d, v) -> d.monitoring.maxMemory = v),
            Key.optional("max-memory-for-ms", Parsers.millis(), (d, v) -> d.monitoring.maxMemoryFor = v),
            Key.optional("schedule", JobKeys.schedule(), (d, v) -> d.job.schedule = v),
            Key.optional("schedule-timezone", JobKeys.zone(), (d, v) -> d.job.zone = v),
            Key.optional("overlap", JobKeys.overlap(), (d, v) -> d.job.overlap = v),
            Key.optional("run-on-start", Parsers.bool(), (d, v) -> d.job.runOnStart = v),
            Key.optional("success-exit-codes", JobKeys.successExitCodes(), builder(ServiceConfig.Builder::successExitCodes)),
            Key.optional("stop-command", OrchestrationKeys.nonEmptyArgs(), builder(ServiceConfig.Builder::stopCommand)),
            Key.optional("oom-score-adj", ProcessKeys.oomScoreAdj(), builder(ServiceConfig.Builder::oomScoreAdj)),
            Key.optional("rollout", ReloadKeys.strategy(), (d, v) -> d.rollout = v),
            Key.optional("rollout-timeout-ms", OrchestrationKeys.positiveMillis(), (d, v) -> d.rolloutTimeout = v));

    private static final class Document {
        GlobalDraft global = new GlobalDraft();
        List<InitDraft> init = List.of();
        List<ServiceDraft> services = List.of();
    }

    private static final TableKind<Document> TOP = TableKind.of("the top level", Document::new, null,
            Key.optional("global", Parsers.table(GLOBAL), (d, v) -> d.global = v),
            Key.optional("init", Parsers.tables(INIT, i -> "[[init]] #" + (i + 1)), (d, v) -> d.init = v),
            Key.optional("service", Parsers.tables(SERVICE, i -> "[[service]] #" + (i + 1)), (d, v) -> d.services = v));

    /** The document's own table, whose keys are {@code global}, {@code init} and {@code service}: what {@link KeyReference} walks. */
    static TableKind<?> document() {
        return TOP;
    }

    private final Interpolator interpolator;

    public ConfigBinder(Interpolator interpolator) {
        this.interpolator = interpolator;
    }

    /**
     * Binds a whole document. Every problem found is reported, not only the first: the exception
     * thrown is the first problem, with the others attached as {@linkplain Throwable#getSuppressed()
     * suppressed} exceptions, in document order.
     */
    public BoundConfig bind(ConfigNode.Table root) throws ConfigException {
        return bindAll(root).orThrow();
    }

    /**
     * A document bound as far as it goes: every problem, in document order, and the config made
     * of what did bind (a key that failed keeps its default; a service without a usable name, or
     * with a duplicate one, is left out), so that what depends on it can still be checked.
     *
     * @param bound    the config; only to check further while {@code problems} is not empty
     * @param problems every binding problem, in document order
     */
    public record Attempt(BoundConfig bound, List<ConfigException> problems) {
        public Attempt {
            problems = List.copyOf(problems);
        }

        /** The config, or the first problem carrying the others as suppressed exceptions. */
        public BoundConfig orThrow() throws ConfigException {
            Problems all = new Problems();
            problems.forEach(all::add);
            all.throwIfAny();
            return bound;
        }
    }

    /**
     * Binds a whole document as far as it goes (see {@link Attempt}); throws only when nothing of
     * it can be bound (nested too deep).
     */
    public Attempt bindAll(ConfigNode.Table root) throws ConfigException {
        checkDepth(root);
        Problems problems = new Problems();
        Map<String, Location> locations = new HashMap<>();
        Set<Path> envFiles = new LinkedHashSet<>();
        Document doc = TOP.bind(root, TOP.kind(), "", new Scope.Shared(interpolator, problems, locations, envFiles));

        for (int i = 0; i < doc.init.size(); i++) {
            doc.init.get(i).checkGroup(locations, SourceMap.init(i, "group"), "[[init]] #" + (i + 1), problems);
        }
        List<InitCommand> init = doc.init.stream().map(InitDraft::build).toList();
        List<ServiceConfig> services = new ArrayList<>();
        Map<String, Location> names = new LinkedHashMap<>();
        for (int i = 0; i < doc.services.size(); i++) {
            ServiceDraft draft = doc.services.get(i);
            String label = draft.name == null ? "[[service]] #" + (i + 1) : "[[service]] " + UserText.quote(draft.name);
            draft.checkGroup(locations, SourceMap.service(i, "group"), label, problems);
            draft.job.check(locations, i, label, draft.policy, problems);
            ServiceConfig s = draft.build(doc.global, SourceMap.service(i, ""), locations, problems);
            if (s == null) {
                continue;
            }
            Location here = locations.get(SourceMap.service(i, "name"));
            Location first = names.putIfAbsent(s.name(), here);
            if (first != null) {
                problems.add(new ConfigException(here,
                        "duplicate service name " + UserText.quote(s.name()) + " (first defined at " + first + ")"));
                continue;
            }
            services.add(s);
        }
        return new Attempt(new BoundConfig(new CarnivalConfig(doc.global.build(), init, services),
                new SourceMap(root.location().origin(), locations), List.copyOf(envFiles)), problems.all());
    }

    /**
     * The same nesting limit for every format, whichever source made the tree (the sources also
     * stop at it, to protect their own parsers). Iterative, so no tree can overflow the stack here.
     */
    private static void checkDepth(ConfigNode.Table root) throws ConfigException {
        record Level(ConfigNode node, int depth) {}
        Deque<Level> pending = new ArrayDeque<>();
        pending.push(new Level(root, 1));
        while (!pending.isEmpty()) {
            Level level = pending.pop();
            boolean container = level.node() instanceof ConfigNode.Table || level.node() instanceof ConfigNode.Array;
            if (container && level.depth() > Limits.MAX_DEPTH) {
                throw new ConfigException(level.node().location(), "nested deeper than " + Limits.MAX_DEPTH + " levels");
            }
            // On every start's path: see the start-up rules in StartupClassesIT (carnival-dist).
            if (level.node() instanceof ConfigNode.Table t) {
                t.entries().values().forEach(n -> pending.push(new Level(n, level.depth() + 1)));
            } else if (level.node() instanceof ConfigNode.Array a) {
                a.items().forEach(n -> pending.push(new Level(n, level.depth() + 1)));
            }
        }
    }
}
