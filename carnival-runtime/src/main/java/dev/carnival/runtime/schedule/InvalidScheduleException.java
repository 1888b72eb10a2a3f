package dev.carnival.runtime.schedule;

/** A schedule that cannot be read, or never runs; the message is one line for the user. */
public final class InvalidScheduleException extends Exception {
    public InvalidScheduleException(String message) {
        super(message);
    }
}
