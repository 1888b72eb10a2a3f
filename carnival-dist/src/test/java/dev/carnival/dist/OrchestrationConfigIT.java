package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad depends-on and probe tables: one line each with file:line:column, exit 2, all at once from carnival check. */
class OrchestrationConfigIT {
    @TempDir
    java.nio.file.Path dir;

    private static String svc(String name, String extra) {
        return "[[service]]\nname = \"" + name + "\"\ncommand = \"true\"\n" + extra;
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("unknown service", svc("web", "depends-on = [\"db\"]\n"),
                        "c.toml:4:15: service 'web' depends on unknown service 'db' (services: web)"),
                Arguments.of("itself", svc("web", "depends-on = { web = \"started\" }\n"),
                        "c.toml:4:16: service 'web' depends on itself"),
                Arguments.of("unknown condition", svc("db", "") + svc("web", "depends-on = { db = \"up\" }\n"),
                        "c.toml:7:16: unknown condition 'up' for 'db' in 'depends-on' in [[service]] 'web' (conditions: started, ready, completed)"),
                Arguments.of("completed on restart always", svc("db", "restart = \"always\"\n")
                                + svc("web", "depends-on = { db = \"completed\" }\n"),
                        "c.toml:8:16: service 'web' waits for 'db' to be completed, but 'db' has restart = \"always\" and never completes"),
                Arguments.of("cycle", svc("a", "depends-on = [\"b\"]\n") + svc("b", "depends-on = [\"c\"]\n")
                                + svc("c", "depends-on = { a = \"started\" }\n"),
                        "c.toml:4:15: dependency cycle: a -> b -> c -> a"),
                Arguments.of("no probe kind", svc("db", "[service.readiness]\nperiod-ms = 100\n"),
                        "c.toml:4:1: [service.readiness] of [[service]] 'db' needs one of exec, http, tcp, probe, log-line (or notify = true)"),
                Arguments.of("two probe kinds", svc("db", "[service.liveness]\ntcp = \"127.0.0.1:1\"\nhttp = \"http://x/\"\n"),
                        "c.toml:4:1: [service.liveness] of [[service]] 'db' has more than one of exec, http, tcp, probe (http, tcp)"),
                Arguments.of("unknown probe", svc("db", "[service.readiness]\nprobe = \"grpc\"\n"),
                        "c.toml:5:1: unknown probe 'grpc' for readiness of service 'db' (known probes: exec, http, tcp)"),
                Arguments.of("zero period", svc("db", "[service.readiness]\ntcp = \"127.0.0.1:1\"\nperiod-ms = 0\n"),
                        "c.toml:6:1: 'period-ms' in [service.readiness] of [[service]] 'db' must be a number of milliseconds > 0, got 0"),
                Arguments.of("zero threshold", svc("db", "[service.readiness]\ntcp = \"127.0.0.1:1\"\nfailure-threshold = 0\n"),
                        "c.toml:6:1: 'failure-threshold' in [service.readiness] of [[service]] 'db' must be a whole number >= 1, got 0"),
                Arguments.of("negative timeout", svc("db", "[service.readiness]\ntcp = \"127.0.0.1:1\"\ntimeout-ms = -5\n"),
                        "c.toml:6:1: 'timeout-ms' in [service.readiness] of [[service]] 'db' must be a number of milliseconds >= 0, got -5"),
                Arguments.of("liveness success threshold", svc("db", "[service.liveness]\ntcp = \"127.0.0.1:1\"\nsuccess-threshold = 2\n"),
                        "c.toml:6:1: 'success-threshold' in [service.liveness] of [[service]] 'db' must be 1 for a liveness probe, got 2"),
                Arguments.of("bad tcp address", svc("db", "[service.readiness]\ntcp = \"localhost\"\n"),
                        "c.toml:5:1: tcp probe needs \"host:port\" (port 1-65535), got 'localhost'"),
                Arguments.of("unknown probe key", svc("db", "[service.readiness]\ntcp = \"127.0.0.1:1\"\nperiod = 5\n"),
                        "c.toml:6:1: unknown key 'period' in [service.readiness] of [[service]] 'db' (known keys: exec, http, tcp, probe, log-line, options, period-ms, timeout-ms, initial-delay-ms, success-threshold, failure-threshold, notify)"),
                Arguments.of("options without a plugin probe", svc("db", "[service.readiness]\ntcp = \"127.0.0.1:1\"\n[service.readiness.options]\nx = 1\n"),
                        "c.toml:6:1: 'options' in [service.readiness] of [[service]] 'db' is for a plugin probe (probe = \"name\"), not for tcp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigIsOneLineWithItsLocation(String name, String toml, String line) {
        for (String command : List.of("check", "run")) {
            Configs.write(dir, "c.toml", toml);
            String[] args = command.equals("check") ? new String[] {"check", "-c", "c.toml"} : new String[] {"-c", "c.toml"};
            try (CarnivalProcess c = CarnivalProcess.run(dir, args)) {
                assertEquals(2, c.exitCode(), c.stderr());
                assertEquals(List.of("carnival: " + line), c.stderr().lines().toList());
                c.assertNoStackTrace();
            }
        }
    }

    @Test
    void checkReportsEveryProblemAtOnce() {
        Configs.write(dir, "c.toml", svc("web", "depends-on = [\"db\", \"web\"]\n")
                + svc("x", "[service.readiness]\nprobe = \"nope\"\n"));
        try (CarnivalProcess c = CarnivalProcess.run(dir, "check", "-c", "c.toml")) {
            assertEquals(2, c.exitCode(), c.stderr());
            assertEquals(List.of(
                    "carnival: c.toml:4:15: service 'web' depends on unknown service 'db' (services: web, x)",
                    "carnival: c.toml:4:21: service 'web' depends on itself",
                    "carnival: c.toml:9:1: unknown probe 'nope' for readiness of service 'x' (known probes: exec, http, tcp)"),
                    c.stderr().lines().toList());
        }
    }
}
