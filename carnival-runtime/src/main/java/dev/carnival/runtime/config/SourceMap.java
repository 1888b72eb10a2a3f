package dev.carnival.runtime.config;

import dev.carnival.api.config.Location;
import java.util.Map;

/**
 * Where each bound value was written, by path ({@code service[0].command}), so checks made after
 * binding (policy names, commands on PATH) can still point at file, line and column.
 */
public record SourceMap(String origin, Map<String, Location> locations) {
    public SourceMap {
        locations = Map.copyOf(locations);
    }

    /** The location of {@code path}, or the nearest enclosing one, or just the file. */
    public Location at(String path) {
        String p = path;
        while (true) {
            Location l = locations.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return Location.of(origin);
            }
            p = p.substring(0, cut);
        }
    }

    /** Path of a service's key. */
    public static String service(int index, String key) {
        return "service[" + index + "]" + (key.isEmpty() ? "" : "." + key);
    }

    /** Path of an init command's key. */
    public static String init(int index, String key) {
        return "init[" + index + "]" + (key.isEmpty() ? "" : "." + key);
    }
}
