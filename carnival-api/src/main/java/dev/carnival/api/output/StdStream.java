package dev.carnival.api.output;

import java.util.Locale;

/** Which of a replica's streams a line was written to. */
public enum StdStream {
    /** Standard output. */
    STDOUT,
    /** Standard error. */
    STDERR;

    /** {@code stdout} or {@code stderr}, as JSON lines and the control socket spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
