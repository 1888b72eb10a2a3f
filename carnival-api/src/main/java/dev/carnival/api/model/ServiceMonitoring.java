package dev.carnival.api.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one service is watched, where it differs from {@link Monitoring}.
 *
 * @param logBufferLines {@code log-buffer-lines}: its own buffer size, or empty for the global one
 * @param memoryLimit    {@code max-memory} and {@code max-memory-for-ms}, if set
 */
public record ServiceMonitoring(OptionalInt logBufferLines, Optional<MemoryLimit> memoryLimit) {
    /** Nothing of its own. */
    public static final ServiceMonitoring DEFAULT = new ServiceMonitoring(OptionalInt.empty(), Optional.empty());

    /** Rejects a negative line count. */
    public ServiceMonitoring {
        Objects.requireNonNull(logBufferLines, "logBufferLines");
        Objects.requireNonNull(memoryLimit, "memoryLimit");
        if (logBufferLines.isPresent() && logBufferLines.getAsInt() < 0) {
            throw new IllegalArgumentException("log-buffer-lines must not be negative");
        }
    }

    /** The lines kept for this service under {@code global}. */
    public int bufferLines(Monitoring global) {
        return logBufferLines.orElse(global.logBufferLines());
    }
}
