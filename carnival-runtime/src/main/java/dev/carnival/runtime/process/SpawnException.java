package dev.carnival.runtime.process;

/** A process could not be started; the message says why, in one line (e.g. "sleepx: command not found"). */
public final class SpawnException extends Exception {
    public SpawnException(String message) {
        super(message);
    }
}
