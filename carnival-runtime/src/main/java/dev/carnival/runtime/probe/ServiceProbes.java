package dev.carnival.runtime.probe;

import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.probe.Probe;
import java.util.Optional;

/** A service's probes, made from its config: each absent when not configured. */
public record ServiceProbes(Optional<Made> readiness, Optional<Made> liveness) {
    public static final ServiceProbes NONE = new ServiceProbes(Optional.empty(), Optional.empty());

    /** A probe and the timings it runs with. */
    public record Made(Probe probe, ProbeSpec spec) {}
}
