package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.UserText;
import dev.carnival.api.model.LogFormat;
import dev.carnival.api.model.MemoryLimit;
import dev.carnival.api.model.Monitoring;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceMonitoring;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The keys of issue "seeing one service": {@code log-format}, {@code log-buffer-lines},
 * {@code resource-period-ms}, {@code max-memory}, {@code max-memory-for-ms} and a readiness's
 * {@code log-line}; and what no single key can check, checked once a service is bound.
 */
final class MonitoringKeys {
    private MonitoringKeys() {}

    /** {@code [global]}'s part. */
    static final class GlobalDraft {
        LogFormat logFormat = Monitoring.DEFAULT.logFormat();
        int logBufferLines = Monitoring.DEFAULT.logBufferLines();
        Duration resourcePeriod = Monitoring.DEFAULT.resourcePeriod();

        Monitoring build() {
            return new Monitoring(logFormat, logBufferLines, resourcePeriod);
        }
    }

    /** A service's part. */
    static final class ServiceDraft {
        Integer logBufferLines;
        Long maxMemory;
        Duration maxMemoryFor;

        ServiceMonitoring build() {
            return new ServiceMonitoring(logBufferLines == null ? OptionalInt.empty() : OptionalInt.of(logBufferLines),
                    Optional.ofNullable(maxMemory).map(b -> new MemoryLimit(b,
                            maxMemoryFor == null ? MemoryLimit.DEFAULT_LASTING : maxMemoryFor)));
        }

        /**
         * What needs more than one key: each problem is reported at its key, and what it concerns is
         * dropped so the service can still be built.
         *
         * @param path the service's source-map path ({@code service[2]})
         */
        void check(OutputMode output, Monitoring global, String label, String path, Map<String, Location> locations,
                   Problems problems) {
            if (maxMemoryFor != null && maxMemory == null) {
                problems.add(new ConfigException(locations.get(path + ".max-memory-for-ms"),
                        "'max-memory-for-ms' in " + label + " needs a 'max-memory'"));
            }
            if (maxMemory != null && !global.sampling()) {
                problems.add(new ConfigException(locations.get(path + ".max-memory"), "'max-memory' in " + label
                        + " needs resource sampling, but [global] resource-period-ms is 0"));
                maxMemory = null;
            }
            if (logBufferLines != null && !output.captured()) {
                problems.add(new ConfigException(locations.get(path + ".log-buffer-lines"), "'log-buffer-lines' in "
                        + label + " needs its output captured: set output = \"prefix\", \"raw\" or \"json\""));
                logBufferLines = null;
            }
        }
    }

    /**
     * A readiness {@code log-line} needs the service's lines to pass through Carnival.
     *
     * @return false when the readiness must be dropped
     */
    static boolean checkReadiness(ProbeSpec readiness, OutputMode output, String label, String path,
                                  Map<String, Location> locations, Problems problems) {
        if (readiness != null && readiness.isLogLine() && !output.captured()) {
            problems.add(new ConfigException(locations.get(path + ".readiness.log-line"), "'log-line' in "
                    + "[service.readiness] of " + label + " needs its output captured, not inherit: set output = "
                    + "\"prefix\", \"raw\" or \"json\""));
            return false;
        }
        return true;
    }

    /** "text" or "json". */
    static ValueParser<LogFormat> logFormat() {
        ValueParser<String> text = Parsers.text();
        return (n, s) -> {
            String v = text.parse(n, s).strip();
            return switch (v) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw new ConfigException(n.location(),
                        s.subject() + " must be \"text\" or \"json\", got " + UserText.quote(v));
            };
        };
    }

    /** A Java regular expression ({@link Pattern}), checked here so a bad one is reported with its location. */
    static ValueParser<String> regex() {
        ValueParser<String> text = Parsers.nonEmpty();
        return (n, s) -> {
            String v = text.parse(n, s);
            try {
                Pattern.compile(v);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(n.location(), s.subject() + " is not a valid regular expression: "
                        + e.getDescription() + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "")
                        + " of " + UserText.quote(v));
            }
            return v;
        };
    }

    /** A size in bytes with its unit: {@code "512MiB"}; see {@link #parseSize}. */
    static ValueParser<Long> size() {
        ValueParser<String> text = Parsers.text();
        return (n, s) -> {
            String v = text.parse(n, s).strip();
            try {
                return parseSize(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(n.location(), s.subject() + " " + e.getMessage());
            }
        };
    }

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB"};

    /**
     * A whole number followed by B, KiB, MiB or GiB (powers of 1024), a space between them allowed;
     * more than 0 and at most {@link Long#MAX_VALUE} bytes.
     *
     * @throws IllegalArgumentException saying what is wrong, to follow the key's name
     */
    static long parseSize(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        String unit = text.substring(digits).strip();
        int shift = -1;
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                shift = 10 * i;
            }
        }
        if (digits == 0 || shift < 0) {
            throw new IllegalArgumentException("must be a size such as \"512MiB\" (a whole number and B, KiB, MiB"
                    + " or GiB), got " + UserText.quote(text));
        }
        long value;
        try {
            value = Long.parseLong(text.substring(0, digits));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is too large: " + UserText.quote(text));
        }
        if (value == 0) {
            throw new IllegalArgumentException("must be more than 0, got " + UserText.quote(text));
        }
        if (value > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("is too large: " + UserText.quote(text));
        }
        return value << shift;
    }
}
