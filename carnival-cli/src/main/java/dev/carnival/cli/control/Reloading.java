package dev.carnival.cli.control;

import dev.carnival.api.Supervisor;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.reload.ReloadPlan;
import dev.carnival.api.reload.ReloadResult;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.supervise.CarnivalSupervisor;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A reload of the supervisor's own config file, for every trigger alike (the socket, the reload
 * signal, the file watcher): the file read again and checked completely, then applied, or, with
 * any problem, rejected with every problem and nothing applied.
 */
public final class Reloading {
    /** How a reload ended. */
    public sealed interface Outcome {
        /** The file had these problems; nothing was applied. */
        record Invalid(List<String> problems) implements Outcome {}

        /** A dry run: what a reload would do. */
        record Planned(long generation, ReloadPlan plan) implements Outcome {}

        /** Carried out, in full or up to a halted rollout. */
        record Done(ReloadResult result) implements Outcome {}
    }

    /** Where a reload goes. */
    interface Target {
        CompletableFuture<ReloadResult> reload(CarnivalConfig next, String origin);

        void rejected(String origin, List<String> problems);
    }

    private final Supervisor supervisor;
    private final Target target;
    private final ConfigReader config;

    private Reloading(Supervisor supervisor, Target target, ConfigReader config) {
        this.supervisor = supervisor;
        this.target = target;
        this.config = config;
    }

    /** For the {@code carnival} command's supervisor: reloads and rejections are events, and counted. */
    public static Reloading of(CarnivalSupervisor supervisor, ConfigReader config) {
        return new Reloading(supervisor, new Target() {
            @Override
            public CompletableFuture<ReloadResult> reload(CarnivalConfig next, String origin) {
                return supervisor.reloads().reload(next, origin);
            }

            @Override
            public void rejected(String origin, List<String> problems) {
                supervisor.reloads().rejected(origin, problems);
            }
        }, config);
    }

    /** Through the embedding API. */
    public static Reloading of(Supervisor supervisor, ConfigReader config) {
        return new Reloading(supervisor, new Target() {
            @Override
            public CompletableFuture<ReloadResult> reload(CarnivalConfig next, String origin) {
                return supervisor.reload(next);
            }

            @Override
            public void rejected(String origin, List<String> problems) {
                // The embedder's supervisor has no event for it: the caller reports the problems.
            }
        }, config);
    }

    /**
     * Reads the file and, unless {@code dryRun}, applies it; completes exceptionally as
     * {@link Supervisor#reload} does (e.g. during shutdown).
     */
    public CompletableFuture<Outcome> reload(boolean dryRun, String origin) {
        CarnivalConfig next;
        try {
            next = config.read();
        } catch (ConfigException e) {
            List<String> problems = Problems.of(e).stream().map(ConfigException::getMessage).toList();
            if (!dryRun) {
                target.rejected(origin, problems);
            }
            return CompletableFuture.completedFuture(new Outcome.Invalid(problems));
        }
        if (dryRun) {
            return CompletableFuture.completedFuture(new Outcome.Planned(supervisor.generation(),
                    supervisor.plan(next)));
        }
        return target.reload(next, origin).thenApply(Outcome.Done::new);
    }
}
