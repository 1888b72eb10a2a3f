package dev.carnival.plugins.consolelog;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Found by SLF4J with ServiceLoader. Reads slf4j-simple's property for the level,
 * {@code org.slf4j.simpleLogger.defaultLogLevel} (the carnival command sets it from
 * {@code --log-level}, and users may already pass it), once, when SLF4J initialises.
 */
public final class ConsoleLogProvider implements SLF4JServiceProvider {
    /** The property slf4j-simple reads for the level of every logger. */
    public static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /** {@code json} makes every line a JSON object ({@code [global] log-format = "json"}); anything else is text. */
    public static final String FORMAT_PROPERTY = "carnival.log.format";

    private ILoggerFactory loggers;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    public ConsoleLogProvider() {}

    @Override
    public void initialize() {
        int threshold = threshold(System.getProperty(LEVEL_PROPERTY, "info"));
        Map<String, Logger> byName = new ConcurrentHashMap<>();
        loggers = name -> byName.computeIfAbsent(name, n -> new ConsoleLogger(n, threshold, LogLine.SYSTEM));
    }

    /**
     * The lowest {@link Level#toInt()} logged, from slf4j-simple's level names in any case: "off"
     * logs nothing, and anything else means info, as there.
     */
    static int threshold(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE.toInt();
            case "debug" -> Level.DEBUG.toInt();
            case "warn" -> Level.WARN.toInt();
            case "error" -> Level.ERROR.toInt();
            case "off" -> Integer.MAX_VALUE;
            default -> Level.INFO.toInt();
        };
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
