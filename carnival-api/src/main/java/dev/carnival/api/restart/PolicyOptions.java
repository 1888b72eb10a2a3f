package dev.carnival.api.restart;

import dev.carnival.api.config.Location;
import dev.carnival.api.config.Options;
import java.util.Map;

/** The options a service gives its restart policy ({@code restart-options}). */
public final class PolicyOptions extends Options {

    /** Options as written at {@code location}, for the policy to read and check. */
    public PolicyOptions(Map<String, String> values, Location location) {
        super(values, location, "restart option");
    }

    /** No options. */
    public static PolicyOptions none(Location location) {
        return new PolicyOptions(Map.of(), location);
    }
}
