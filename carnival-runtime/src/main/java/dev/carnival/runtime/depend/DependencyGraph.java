package dev.carnival.runtime.depend;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.config.SourceMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services' {@code depends-on} relations, checked: every dependency exists, none is the
 * service itself, there is no cycle, and {@code completed} is never asked of a service that
 * restarts always. Gives the start order (each level depends only on earlier ones) and, for
 * shutdown, each service's dependents.
 */
public final class DependencyGraph {
    private final Map<String, Map<String, Condition>> dependencies; // service -> its dependencies, config order
    private final Map<String, List<String>> dependents;             // service -> services depending on it
    private final List<List<String>> levels;

    private DependencyGraph(Map<String, Map<String, Condition>> dependencies, List<List<String>> levels) {
        this.dependencies = dependencies;
        this.levels = levels;
        Map<String, List<String>> d = new LinkedHashMap<>();
        dependencies.keySet().forEach(s -> d.put(s, new ArrayList<>()));
        dependencies.forEach((s, deps) -> deps.keySet().forEach(dep -> d.get(dep).add(s)));
        d.replaceAll((k, v) -> List.copyOf(v));
        this.dependents = Map.copyOf(d);
    }

    /** Checks the config's dependencies; every problem is reported (see {@link Problems}). */
    public static DependencyGraph of(CarnivalConfig config, SourceMap sources) throws ConfigException {
        Problems problems = new Problems();
        Map<String, ServiceConfig> byName = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < config.services().size(); i++) {
            ServiceConfig s = config.services().get(i);
            byName.put(s.name(), s);
            index.put(s.name(), i);
        }
        Map<String, Map<String, Condition>> valid = new LinkedHashMap<>();
        for (ServiceConfig s : byName.values()) {
            Map<String, Condition> deps = new LinkedHashMap<>();
            int i = index.get(s.name());
            s.dependsOn().forEach((dep, condition) -> {
                String where = SourceMap.service(i, "depends-on." + dep);
                ServiceConfig target = byName.get(dep);
                if (dep.equals(s.name())) {
                    problems.add(new ConfigException(sources.at(where), "service '" + s.name() + "' depends on itself"));
                } else if (target == null) {
                    problems.add(new ConfigException(sources.at(where), "service '" + s.name()
                            + "' depends on unknown service '" + dep + "' (services: " + String.join(", ", byName.keySet()) + ")"));
                } else if (condition == Condition.COMPLETED && target.restart().policy().equals("always")) {
                    problems.add(new ConfigException(sources.at(where), "service '" + s.name() + "' waits for '" + dep
                            + "' to be completed, but '" + dep + "' has restart = \"always\" and never completes"));
                } else {
                    deps.put(dep, condition);
                }
            });
            valid.put(s.name(), deps);
        }
        List<List<String>> levels = levels(valid);
        int placed = levels.stream().mapToInt(List::size).sum();
        if (placed < valid.size()) {
            List<String> cycle = cycle(valid, levels);
            String first = cycle.getFirst();
            problems.add(new ConfigException(sources.at(SourceMap.service(index.get(first), "depends-on." + cycle.get(1))),
                    "dependency cycle: " + String.join(" -> ", cycle)));
        }
        problems.throwIfAny();
        return new DependencyGraph(valid, levels);
    }

    /**
     * The graph of a config built in code, which has no source locations.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public static DependencyGraph unchecked(CarnivalConfig config) {
        try {
            return of(config, new SourceMap("config", Map.of()));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.problem(), e);
        }
    }

    /** Kahn's algorithm, one level at a time, config order within a level; services in a cycle are left out. */
    private static List<List<String>> levels(Map<String, Map<String, Condition>> deps) {
        List<List<String>> levels = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (true) {
            List<String> level = new ArrayList<>();
            for (Map.Entry<String, Map<String, Condition>> e : deps.entrySet()) {
                if (!done.contains(e.getKey()) && done.containsAll(e.getValue().keySet())) {
                    level.add(e.getKey());
                }
            }
            if (level.isEmpty()) {
                return levels;
            }
            done.addAll(level);
            levels.add(List.copyOf(level));
        }
    }

    /** One cycle among the services no level holds, as {@code a, b, c, a}. */
    private static List<String> cycle(Map<String, Map<String, Condition>> deps, List<List<String>> levels) {
        Set<String> placed = new LinkedHashSet<>();
        levels.forEach(placed::addAll);
        // Every unplaced service has an unplaced dependency: walking those must come back round.
        String at = deps.keySet().stream().filter(s -> !placed.contains(s)).findFirst().orElseThrow();
        List<String> path = new ArrayList<>();
        while (!path.contains(at)) {
            path.add(at);
            at = deps.get(at).keySet().stream().filter(s -> !placed.contains(s)).findFirst().orElseThrow();
        }
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        cycle.add(at);
        return cycle;
    }

    /** Start order: each level's services depend only on services of earlier levels. */
    public List<List<String>> levels() {
        return levels;
    }

    /** What {@code service} waits for, in config order. */
    public Map<String, Condition> dependenciesOf(String service) {
        return dependencies.getOrDefault(service, Map.of());
    }

    /** The services that depend on {@code service} directly. */
    public List<String> dependentsOf(String service) {
        return dependents.getOrDefault(service, List.of());
    }

    /** The start order as {@code carnival check} prints it: {@code db, cache -> migrate -> web}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        levels.forEach(level -> parts.add(String.join(", ", level)));
        return String.join(" -> ", parts);
    }
}
