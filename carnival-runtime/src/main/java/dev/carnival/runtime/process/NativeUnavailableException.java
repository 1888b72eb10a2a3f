package dev.carnival.runtime.process;

/**
 * Native process control cannot be used here; the message says why, in one line. The one type
 * for every such cause: wrong platform, native access not enabled, a libc symbol or kernel
 * facility missing.
 */
public final class NativeUnavailableException extends IllegalStateException {
    public NativeUnavailableException(String message) {
        super(message);
    }

    public NativeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
