package dev.carnival.plugins.consolelog;

import java.io.Serial;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that writes each call at or above its threshold as one {@link LogLine}. */
final class ConsoleLogger extends LegacyAbstractLogger {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int threshold;
    private final transient LogLine out;

    ConsoleLogger(String name, int threshold, LogLine out) {
        this.name = name;
        this.threshold = threshold;
        this.out = out;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        out.write(level, MessageFormatter.basicArrayFormat(pattern, arguments), throwable);
    }
}
