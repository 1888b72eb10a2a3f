package dev.carnival.api.probe;

import java.util.Objects;

/**
 * What one check saw.
 *
 * @param detail a few words for logs and events ("exit 1", "HTTP 503", "connection refused")
 */
public record ProbeResult(boolean success, String detail) {
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static ProbeResult success(String detail) {
        return new ProbeResult(true, detail);
    }

    public static ProbeResult failure(String detail) {
        return new ProbeResult(false, detail);
    }
}
