package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.UserText;
import java.util.Map;

/**
 * Where a value is being bound: its key, the table it is in (as messages name it) and its
 * {@link SourceMap} path, with what every binding step shares.
 */
record Scope(Shared shared, String key, String label, String path) {

    /** What one {@link ConfigBinder#bind} call shares across tables. */
    record Shared(Interpolator interpolator, Problems problems, Map<String, Location> locations,
                  java.util.Set<java.nio.file.Path> envFiles) {
        /** A scope whose env files nobody asks for afterwards. */
        Shared(Interpolator interpolator, Problems problems, Map<String, Location> locations) {
            this(interpolator, problems, locations, new java.util.LinkedHashSet<>());
        }
    }

    String expand(String text) {
        return shared.interpolator().expand(text);
    }

    /** "'key' in label" */
    String subject() {
        return UserText.quote(key) + " in " + label;
    }

    /** "'key' in label must be expected, got a kind" */
    ConfigException typeError(ConfigNode n, String expected) {
        return new ConfigException(n.location(), subject() + " must be " + expected + ", got " + article(n.kind()));
    }

    static String article(String kind) {
        return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    /** The path of {@code key} under {@code parent}: {@code service[0].name}, or {@code global} at the top. */
    static String path(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }
}
