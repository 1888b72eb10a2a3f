package dev.carnival.api.restart;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.Limits;
import dev.carnival.api.config.UserText;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options a service gives its restart policy ({@code restart-options}), already
 * interpolated. Typed getters report bad values as {@link ConfigException}s naming the key;
 * keys never read are reported as unknown once the policy is made.
 */
public final class PolicyOptions {
    private final Map<String, String> values;
    private final Location location;
    private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());

    public PolicyOptions(Map<String, String> values, Location location) {
        this.values = Map.copyOf(values);
        this.location = location;
    }

    /** No options. */
    public static PolicyOptions none(Location location) {
        return new PolicyOptions(Map.of(), location);
    }

    /** Where the options were written. */
    public Location location() {
        return location;
    }

    /** The raw text of an option, if given. Keys are kebab-case. */
    public Optional<String> text(String key) {
        read.add(key);
        return Optional.ofNullable(values.get(key));
    }

    /** A whole number, or {@code fallback} when absent. */
    public long number(String key, long fallback) throws ConfigException {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.get().strip());
        } catch (NumberFormatException e) {
            throw bad(key, v.get(), "a whole number");
        }
    }

    /** A floating-point number, or {@code fallback} when absent. */
    public double decimal(String key, double fallback) throws ConfigException {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.get().strip());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw bad(key, v.get(), "a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(key, v.get(), "a number");
        }
    }

    /** A number of milliseconds from 0 to {@link Limits#MAX_MILLIS}, or {@code fallback} when absent. */
    public Duration millis(String key, Duration fallback) throws ConfigException {
        long ms = number(key, fallback.toMillis());
        if (ms < 0) {
            throw bad(key, Long.toString(ms), "a number of milliseconds >= 0");
        }
        if (ms > Limits.MAX_MILLIS) {
            throw new ConfigException(location, "restart option '" + key + "' is too large: " + ms + " (the most is "
                    + Limits.MAX_MILLIS + ", 7 days)");
        }
        return Duration.ofMillis(ms);
    }

    /** {@code true} or {@code false}, or {@code fallback} when absent. */
    public boolean bool(String key, boolean fallback) throws ConfigException {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, v.get(), "true or false");
        };
    }

    /** Keys that were given but never read, sorted. */
    public Set<String> unread() {
        Set<String> unread = new TreeSet<>(values.keySet());
        unread.removeAll(read);
        return unread;
    }

    private ConfigException bad(String key, String value, String expected) {
        return new ConfigException(location, "restart option '" + key + "' must be " + expected + ", got " + UserText.quote(value));
    }
}
