package dev.carnival.runtime.probe;

import dev.carnival.api.probe.ProbeResult;

/**
 * One check's result and what it made of the probe's state.
 *
 * @param passing  ready (readiness) or alive (liveness) after this check
 * @param changed  this check flipped {@code passing}
 * @param failures consecutive failures so far, this one included (0 after a success)
 */
public record Verdict(ProbeResult result, boolean passing, boolean changed, int failures) {}
