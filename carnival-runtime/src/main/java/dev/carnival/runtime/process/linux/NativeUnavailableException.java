package dev.carnival.runtime.process.linux;

/** Native process control cannot be used here; the message says why, in one line. */
public final class NativeUnavailableException extends RuntimeException {
    public NativeUnavailableException(String message) {
        super(message);
    }

    public NativeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
