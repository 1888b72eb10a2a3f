package dev.carnival.plugins.consolelog;

import java.io.Serial;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger that writes each call at or above its threshold as one {@link LogLine}. Fluent calls
 * arrive whole ({@link LoggingEventAware}), so their key-value pairs reach a JSON line as fields
 * instead of being merged into the message.
 */
final class ConsoleLogger extends LegacyAbstractLogger implements LoggingEventAware {
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

    @Override
    public void log(LoggingEvent event) {
        if (enabled(event.getLevel())) {
            Object[] arguments = event.getArgumentArray();
            Throwable throwable = event.getThrowable();
            if (throwable == null && arguments != null && arguments.length > 0
                    && arguments[arguments.length - 1] instanceof Throwable last) {
                throwable = last; // SLF4J's rule: a trailing throwable is the call's throwable
            }
            out.write(event.getLevel(), MessageFormatter.basicArrayFormat(event.getMessage(), arguments),
                    event.getKeyValuePairs(), throwable);
        }
    }
}
