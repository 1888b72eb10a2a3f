package dev.carnival.cli.control;

/** The control socket or HTTP endpoint cannot be opened; the message names the path or address. */
public final class ControlException extends Exception {
    public ControlException(String message) {
        super(message);
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
    }
}
