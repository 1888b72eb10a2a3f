package dev.carnival.api.probe;

import dev.carnival.api.config.Location;
import dev.carnival.api.config.Options;
import java.util.List;
import java.util.Map;

/**
 * What a config gives a probe provider: its target and, for {@code probe = "name"}, the table
 * {@code [service.readiness.options]} (or {@code liveness}).
 */
public final class ProbeOptions extends Options {
    private final List<String> target;

    /**
     * @param target what follows the provider's key: the argv of {@code exec}, the URL of
     *               {@code http} or the address of {@code tcp} (one element); empty for
     *               {@code probe = "name"}
     */
    public ProbeOptions(List<String> target, Map<String, String> values, Location location) {
        super(values, location, "probe option");
        this.target = List.copyOf(target);
    }

    /** The probe's target; see the constructor. */
    public List<String> target() {
        return target;
    }
}
