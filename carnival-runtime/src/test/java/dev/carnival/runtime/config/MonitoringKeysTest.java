package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.LogFormat;
import dev.carnival.api.model.MemoryLimit;
import dev.carnival.api.model.Monitoring;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.ServiceMonitoring;
import dev.carnival.plugins.toml.TomlConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MonitoringKeysTest {
    private static final String ORIGIN = "c.toml";

    private static CarnivalConfig bind(String toml) throws ConfigException {
        return new ConfigBinder(new Interpolator(Map.of())).bind(new TomlConfigSource().parse(toml, ORIGIN)).config();
    }

    private static void fails(String toml, int line, int column, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> bind(toml));
        assertEquals(problem, e.problem());
        assertEquals(new Location(ORIGIN, line, column), e.location(), "location of: " + problem);
    }

    private static final String WEB = "[[service]]\nname = \"web\"\ncommand = \"true\"\n";

    @Test
    void defaultsWhenNothingIsSaid() throws ConfigException {
        CarnivalConfig c = bind(WEB);
        assertEquals(Monitoring.DEFAULT, c.global().monitoring());
        assertEquals(new Monitoring(LogFormat.TEXT, 1000, Duration.ofMillis(5000)), c.global().monitoring());
        assertEquals(ServiceMonitoring.DEFAULT, c.services().getFirst().monitoring());
    }

    @Test
    void everyKeyIsBound() throws ConfigException {
        CarnivalConfig c = bind("""
                [global]
                log-format = "json"
                log_buffer_lines = 50
                resource-period-ms = "250"
                output = "json"
                [[service]]
                name = "web"
                command = "true"
                log-buffer-lines = 0
                max-memory = "512MiB"
                max-memory-for-ms = 1000
                [service.readiness]
                log-line = "listening on [0-9]+"
                [[service]]
                name = "raw"
                command = "true"
                output = "raw"
                max-memory = "3 GiB"
                """);
        assertEquals(new Monitoring(LogFormat.JSON, 50, Duration.ofMillis(250)), c.global().monitoring());
        ServiceConfig web = c.services().get(0);
        assertEquals(OutputMode.JSON, web.output());
        assertEquals(new ServiceMonitoring(OptionalInt.of(0), Optional.of(new MemoryLimit(512L << 20,
                Duration.ofSeconds(1)))), web.monitoring());
        assertEquals(Optional.of(ProbeSpec.logLine("listening on [0-9]+")), web.readiness());
        ServiceConfig raw = c.services().get(1);
        assertEquals(OutputMode.RAW, raw.output());
        assertEquals(Optional.of(new MemoryLimit(3L << 30, MemoryLimit.DEFAULT_LASTING)), raw.monitoring().memoryLimit());
        assertEquals(50, raw.monitoring().bufferLines(c.global().monitoring()));
    }

    @Test
    void sizesTakeTheFourUnitsOnly() {
        assertEquals(7, MonitoringKeys.parseSize("7B"));
        assertEquals(2048, MonitoringKeys.parseSize("2KiB"));
        assertEquals(5L << 20, MonitoringKeys.parseSize("5 MiB"));
        assertEquals(1L << 30, MonitoringKeys.parseSize("1GiB"));
        for (String bad : List.of("512", "512MB", "1.5GiB", "MiB", "-1MiB", "512mib", "")) {
            assertThrows(IllegalArgumentException.class, () -> MonitoringKeys.parseSize(bad), bad);
        }
        assertEquals("must be more than 0, got '0KiB'",
                assertThrows(IllegalArgumentException.class, () -> MonitoringKeys.parseSize("0KiB")).getMessage());
        assertEquals("is too large: '9999999999999GiB'",
                assertThrows(IllegalArgumentException.class, () -> MonitoringKeys.parseSize("9999999999999GiB")).getMessage());
        assertEquals("is too large: '99999999999999999999999B'",
                assertThrows(IllegalArgumentException.class, () -> MonitoringKeys.parseSize("99999999999999999999999B")).getMessage());
    }

    @Test
    void badValuesAreReportedAtTheirKey() {
        fails("[global]\nlog-format = \"xml\"\n", 2, 1, "'log-format' in [global] must be \"text\" or \"json\", got 'xml'");
        fails("[global]\noutput = \"jsonl\"\n", 2, 1,
                "'output' in [global] must be \"inherit\", \"prefix\", \"raw\" or \"json\", got 'jsonl'");
        fails(WEB + "max-memory = \"512MB\"\n", 4, 1, "'max-memory' in [[service]] 'web' must be a size such as"
                + " \"512MiB\" (a whole number and B, KiB, MiB or GiB), got '512MB'");
        fails("[global]\nlog-buffer-lines = -1\n", 2, 1,
                "'log-buffer-lines' in [global] must be a whole number >= 0, got -1");
    }

    @Test
    void aLimitWithoutSamplingIsAnError() {
        fails("[global]\nresource-period-ms = 0\n" + WEB + "max-memory = \"1GiB\"\n", 6, 1,
                "'max-memory' in [[service]] 'web' needs resource sampling, but [global] resource-period-ms is 0");
    }

    @Test
    void aDurationWithoutALimitIsAnError() {
        fails(WEB + "max-memory-for-ms = 5\n", 4, 1, "'max-memory-for-ms' in [[service]] 'web' needs a 'max-memory'");
    }

    @Test
    void inheritedOutputCannotBeBufferedOrMatched() {
        fails(WEB + "log-buffer-lines = 5\n", 4, 1, "'log-buffer-lines' in [[service]] 'web' needs its output"
                + " captured: set output = \"prefix\", \"raw\" or \"json\"");
        fails(WEB + "[service.readiness]\nlog-line = \"up\"\n", 5, 1, "'log-line' in [service.readiness] of"
                + " [[service]] 'web' needs its output captured, not inherit: set output = \"prefix\", \"raw\" or \"json\"");
    }

    @Test
    void aBadRegexIsAnErrorWithItsLocation() {
        fails(WEB + "output = \"raw\"\n[service.readiness]\nlog-line = \"ready (\"\n", 6, 1,
                "'log-line' in [service.readiness] of [[service]] 'web' is not a valid regular expression:"
                        + " Unclosed group at character 8 of 'ready ('");
    }

    @Test
    void logLineIsForReadinessAloneAndTakesNoTimings() {
        fails(WEB + "output = \"raw\"\n[service.liveness]\nlog-line = \"x\"\n", 6, 1,
                "'log-line' in [service.liveness] of [[service]] 'web' is for readiness only ([service.readiness])");
        fails(WEB + "output = \"raw\"\n[service.readiness]\nlog-line = \"x\"\nperiod-ms = 5\n", 7, 1,
                "'period-ms' in [service.readiness] of [[service]] 'web' is for a probe run on a timer, not for log-line");
        fails(WEB + "output = \"raw\"\n[service.readiness]\nlog-line = \"x\"\nexec = [\"true\"]\n", 5, 1,
                "[service.readiness] of [[service]] 'web' has more than one of exec, http, tcp, probe, log-line"
                        + " (exec, log-line)");
    }

    @Test
    void theModelRefusesWhatTheBinderRefuses() {
        ServiceConfig.Builder inherit = ServiceConfig.builder("web", "true").readiness(ProbeSpec.logLine("x"));
        assertThrows(IllegalArgumentException.class, inherit::build);
        assertThrows(IllegalArgumentException.class, () -> ProbeSpec.logLine("("));
        ServiceConfig limited = ServiceConfig.builder("web", "true").monitoring(new ServiceMonitoring(OptionalInt.empty(),
                Optional.of(new MemoryLimit(1, Duration.ZERO)))).build();
        assertThrows(IllegalArgumentException.class, () -> new CarnivalConfig(new dev.carnival.api.model.GlobalConfig(
                Duration.ofSeconds(1), false, Map.of(), Optional.empty(), Optional.empty(),
                new Monitoring(LogFormat.TEXT, 10, Duration.ZERO), Duration.ZERO,
                dev.carnival.api.model.ReloadTriggers.NONE), List.of(),
                List.of(limited)));
    }
}
