package dev.carnival.runtime.notify;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What one sd_notify datagram says that Carnival acts on: {@code READY=1}, and {@code STATUS=...}
 * (the last one wins). The protocol's other assignments ({@code MAINPID}, {@code STOPPING},
 * {@code WATCHDOG}, ...) are read past: client libraries send them, and none of them is an error.
 *
 * @param status the status text, without control characters, at most {@link #MAX_STATUS} characters
 */
public record NotifyMessage(boolean ready, Optional<String> status) {
    /** A status longer than this is cut: it is shown in every status report. */
    public static final int MAX_STATUS = 200;

    /** Whether it says anything Carnival acts on (a {@code BARRIER=1}, for one, does not). */
    public boolean says() {
        return ready || status.isPresent();
    }

    /** Reads a datagram: newline-separated {@code KEY=VALUE} assignments in UTF-8. */
    public static NotifyMessage parse(byte[] datagram) {
        boolean ready = false;
        String status = null;
        for (String line : new String(datagram, StandardCharsets.UTF_8).split("\n")) {
            if (line.equals("READY=1")) {
                ready = true;
            } else if (line.startsWith("STATUS=")) {
                status = clean(line.substring("STATUS=".length()));
            }
        }
        return new NotifyMessage(ready, Optional.ofNullable(status));
    }

    /** Control characters would break or forge log lines and the status table. */
    private static String clean(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_STATUS));
        text.codePoints().limit(MAX_STATUS).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }
}
