package dev.carnival.api.model;

/** The format of Carnival's own log lines ({@code [global] log-format}). */
public enum LogFormat {
    /** {@code 2026-01-31 12:00:00 [INFO] message}. */
    TEXT,
    /** One JSON object per line: time, level, message and the event's fields. */
    JSON
}
