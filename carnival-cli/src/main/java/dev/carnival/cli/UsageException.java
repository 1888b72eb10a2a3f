package dev.carnival.cli;

/** The command line is wrong; the message is one line saying what to change. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
