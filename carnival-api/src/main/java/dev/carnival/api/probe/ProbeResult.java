package dev.carnival.api.probe;

import java.util.Objects;

/**
 * What one check saw.
 *
 * @param detail a few words for logs and events ("exit 1", "HTTP 503", "connection refused")
 */
public record ProbeResult(boolean success, String detail) {
    /** Rejects a null detail. */
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    /** The check passed. */
    public static ProbeResult success(String detail) {
        return new ProbeResult(true, detail);
    }

    /** The check failed. */
    public static ProbeResult failure(String detail) {
        return new ProbeResult(false, detail);
    }
}
