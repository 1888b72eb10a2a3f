package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.RestartSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.plugins.toml.TomlConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
    private static final String ORIGIN = "c.toml";
    private static final String SERVICE_KEYS = "known keys: name, command, args, replicas, restart, restart-options, "
            + "restart-delay-ms, restart-limit, stop-timeout-ms, stop-signal, working-dir, critical, output, env-file, env, "
            + "user, group, depends-on, readiness, liveness, log-buffer-lines, max-memory, max-memory-for-ms, "
            + "schedule, schedule-timezone, overlap, run-on-start, success-exit-codes, stop-command, oom-score-adj, "
            + "rollout, rollout-timeout-ms";
    private static final Map<String, String> ENV = Map.of(
            "NAME", "world", "NUM", "123", "EMPTY", "", "SIG", "SIGUSR1", "CRIT", "true", "DIR", "/srv");

    private static BoundConfig bindBound(String toml) throws ConfigException {
        return new ConfigBinder(new Interpolator(ENV)).bind(new TomlConfigSource().parse(toml, ORIGIN));
    }

    private static CarnivalConfig bind(String toml) throws ConfigException {
        return bindBound(toml).config();
    }

    private static ServiceConfig service(String body) throws ConfigException {
        return bind("[[service]]\n" + body).services().getFirst();
    }

    /** Binding fails at {@code line:column} with exactly {@code problem}. */
    private static void fails(String toml, int line, int column, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> bind(toml));
        assertEquals(problem, e.problem());
        assertEquals(new Location(ORIGIN, line, column), e.location(), "location of: " + problem);
        assertEquals(ORIGIN + ":" + line + ":" + column + ": " + problem, e.getMessage());
    }

    // ---- oom-score-adj, and binding as far as it goes ----------------------------------------

    @Test
    void oomScoreAdjTakesTheKernelsRangeAsNumberOrString() throws ConfigException {
        assertEquals(java.util.OptionalInt.of(-1000), service("name = \"a\"\ncommand = \"x\"\noom-score-adj = -1000\n").oomScoreAdj());
        assertEquals(java.util.OptionalInt.of(500), service("name = \"a\"\ncommand = \"x\"\noom_score_adj = \"500\"\n").oomScoreAdj());
        assertEquals(java.util.OptionalInt.empty(), service("name = \"a\"\ncommand = \"x\"\n").oomScoreAdj());
        fails("[[service]]\nname = \"a\"\ncommand = \"x\"\noom-score-adj = -1001\n", 4, 1,
                "'oom-score-adj' in [[service]] 'a' must be a whole number from -1000 to 1000, got -1001");
        fails("[[service]]\nname = \"a\"\ncommand = \"x\"\noom-score-adj = \"high\"\n", 4, 1,
                "'oom-score-adj' in [[service]] 'a' must be a whole number from -1000 to 1000, got 'high'");
    }

    @Test
    void bindingAsFarAsItGoesKeepsEveryNamedServiceAndEveryProblem() throws ConfigException {
        ConfigBinder.Attempt attempt = new ConfigBinder(new Interpolator(ENV)).bindAll(new TomlConfigSource().parse("""
                [[service]]
                name = "a"
                command = "x"
                replicas = -1
                [[service]]
                name = "b"
                command = "y"
                restart = "alway"
                stop-signal = "SIGNOPE"
                """, ORIGIN));
        assertEquals(List.of("a", "b"), attempt.bound().config().services().stream().map(ServiceConfig::name).toList());
        assertEquals(1, attempt.bound().config().services().getFirst().replicas(), "a failed key keeps its default");
        assertEquals("alway", attempt.bound().config().services().get(1).restart().policy());
        assertEquals(List.of(4, 9), attempt.problems().stream().map(p -> p.location().line()).toList());
        ConfigException thrown = assertThrows(ConfigException.class, attempt::orThrow);
        assertEquals(4, thrown.location().line());
        assertEquals(1, thrown.getSuppressed().length);
    }

    // ---- env, env-file, user, group --------------------------------------------------------

    @Test
    void envTablesAreInterpolatedAndEnvFilesReadRelativeToTheConfig(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("a.env"), "A=from-a\nB=from-a\n");
        java.nio.file.Files.writeString(dir.resolve("b.env"), "B=from-b\nC=$NAME\n");
        String toml = """
                [global]
                env-file = "a.env"
                env = { G = "${NAME}" }
                [[init]]
                command = "true"
                env = { N = 1, F = false }
                user = 0
                [[service]]
                name = "s"
                command = "true"
                env-file = ["a.env", "b.env"]
                env = { C = "table wins", lower = "x" }
                user = "nobody"
                group = "65534"
                """;
        CarnivalConfig c = new ConfigBinder(new Interpolator(ENV))
                .bind(new TomlConfigSource().parse(toml, dir.resolve("c.toml").toString())).config();
        assertEquals(Map.of("A", "from-a", "B", "from-a", "G", "world"), c.global().env());
        assertEquals(Map.of("N", "1", "F", "false"), c.init().getFirst().env());
        assertEquals("0", c.init().getFirst().user());
        ServiceConfig s = c.services().getFirst();
        assertEquals(List.of("A", "B", "C", "lower"), List.copyOf(s.env().keySet()), "file order, then the table's");
        assertEquals(Map.of("A", "from-a", "B", "from-b", "C", "table wins", "lower", "x"), s.env());
        assertEquals("nobody", s.user());
        assertEquals("65534", s.group());
    }

    @Test
    void groupNeedsAUserAndBadEnvEntriesAreEachReported() {
        fails("[[service]]\nname = \"s\"\ncommand = \"true\"\ngroup = \"staff\"\n", 4, 1,
                "'group' in [[service]] 's' needs a 'user'");
        ConfigException e = assertThrows(ConfigException.class, () -> bind(
                "[[service]]\nname = \"s\"\ncommand = \"true\"\nenv = { \"1X\" = \"a\", CARNIVAL_REPLICA_ID = \"b\", L = [1] }\n"));
        assertEquals(3, Problems.of(e).size(), Problems.of(e).toString());
    }

    // ---- values -------------------------------------------------------------------------

    @Test
    void emptyDocumentIsEmptyConfigWithDefaults() throws ConfigException {
        CarnivalConfig c = bind("");
        assertEquals(GlobalConfig.DEFAULT, c.global());
        assertEquals(List.of(), c.init());
        assertEquals(List.of(), c.services());
    }

    @Test
    void serviceDefaultsAreTheOriginals() throws ConfigException {
        ServiceConfig s = service("name = \"web\"\ncommand = \"python3\"\n");
        assertEquals(ServiceConfig.builder("web", "python3").build(), s);
        assertEquals(1, s.replicas());
        assertEquals(RestartSpec.NO, s.restart());
        assertEquals(Duration.ofMillis(1000), s.restartDelay());
        assertEquals(0, s.restartLimit());
        assertEquals(Duration.ofMillis(10_000), s.stopTimeout());
        assertEquals(Signal.TERM, s.stopSignal());
        assertNull(s.workingDir());
        assertFalse(s.critical());
    }

    @Test
    void everyKeyInKebabCase() throws ConfigException {
        ServiceConfig s = service("""
                name = "web"
                command = "python3"
                args = ["-m", "http.server", 8000]
                replicas = 2
                restart = "always"
                restart-options = { max-tries = 3 }
                restart-delay-ms = 250
                restart-limit = 5
                stop-timeout-ms = 3000
                stop-signal = "SIGINT"
                working-dir = "/tmp"
                critical = true
                """);
        ServiceConfig expected = ServiceConfig.builder("web", "python3")
                .args("-m", "http.server", "8000")
                .replicas(2)
                .restart(new RestartSpec("always", Map.of("max-tries", "3")))
                .restartDelay(Duration.ofMillis(250))
                .restartLimit(5)
                .stopTimeout(Duration.ofMillis(3000))
                .stopSignal(Signal.INT)
                .workingDir(Path.of("/tmp"))
                .critical(true)
                .build();
        assertEquals(expected, s);
    }

    @Test
    void snakeCaseMeansTheSame() throws ConfigException {
        String kebab = """
                name = "web"
                command = "sh"
                restart = "on-failure"
                restart-options = { max-tries = 3 }
                restart-delay-ms = 250
                restart-limit = 5
                stop-timeout-ms = 3000
                stop-signal = "SIGINT"
                working-dir = "/tmp"
                """;
        assertEquals(service(kebab), service(kebab.replace('-', '_').replace("on_failure", "on-failure")));
    }

    @Test
    void numbersFromStringsWithInterpolation() throws ConfigException {
        CarnivalConfig c = bind("""
                [global]
                shutdown-timeout-ms = "${MISSING:-2500}"

                [[service]]
                name = "web"
                command = "true"
                replicas = "${NUM}"
                restart-delay-ms = " 42 "
                restart-limit = "${NUM_WORKERS:-2}"
                stop-timeout-ms = "7"
                """);
        assertEquals(Duration.ofMillis(2500), c.global().shutdownTimeout());
        ServiceConfig s = c.services().getFirst();
        assertEquals(123, s.replicas());
        assertEquals(Duration.ofMillis(42), s.restartDelay());
        assertEquals(2, s.restartLimit());
        assertEquals(Duration.ofMillis(7), s.stopTimeout());
    }

    @Test
    void stringsAreInterpolatedAndUnsetVariablesKept() throws ConfigException {
        ServiceConfig s = service("""
                name = "svc-${NAME}"
                command = "${SHELL_BIN:-sh}"
                args = ["-c", "echo $CARNIVAL_REPLICA_ID ${NAME}"]
                working-dir = "${DIR}/app"
                """);
        assertEquals("svc-world", s.name());
        assertEquals("sh", s.command());
        assertEquals(List.of("-c", "echo $CARNIVAL_REPLICA_ID world"), s.args());
        assertEquals(Path.of("/srv/app"), s.workingDir());
    }

    @Test
    void restartOptionsKeysBecomeKebabAndValuesStrings() throws ConfigException {
        ServiceConfig s = service("""
                name = "web"
                command = "true"
                restart = "custom"
                [service.restart-options]
                max_tries = 3
                backoff-factor = 1.5
                jitter = true
                label = "${NAME}"
                """);
        assertEquals(new RestartSpec("custom", Map.of(
                "max-tries", "3", "backoff-factor", "1.5", "jitter", "true", "label", "world")), s.restart());
    }

    @Test
    void restartOptionsWithoutRestartKeepPolicyNo() throws ConfigException {
        ServiceConfig s = service("name = \"w\"\ncommand = \"true\"\nrestart_options = { a = 1 }\n");
        assertEquals(new RestartSpec("no", Map.of("a", "1")), s.restart());
    }

    @Test
    void stopSignalByNameOrNumber() throws ConfigException {
        String base = "name = \"w\"\ncommand = \"true\"\nstop-signal = ";
        assertEquals(Signal.INT, service(base + "\"SIGINT\"\n").stopSignal());
        assertEquals(Signal.QUIT, service(base + "\"quit\"\n").stopSignal());
        assertEquals(Signal.HUP, service(base + "1\n").stopSignal());
        assertEquals(Signal.KILL, service(base + "\"9\"\n").stopSignal());
        assertEquals(Signal.USR1, service(base + "\"${SIG}\"\n").stopSignal());
    }

    @Test
    void criticalAsBooleanOrString() throws ConfigException {
        String base = "name = \"w\"\ncommand = \"true\"\ncritical = ";
        assertTrue(service(base + "true\n").critical());
        assertFalse(service(base + "false\n").critical());
        assertTrue(service(base + "\"true\"\n").critical());
        assertFalse(service(base + "\"false\"\n").critical());
        assertTrue(service(base + "\" TRUE \"\n").critical());
        assertTrue(service(base + "\"${CRIT}\"\n").critical());
    }

    @Test
    void initCommands() throws ConfigException {
        CarnivalConfig c = bind("""
                [[init]]
                command = "mkdir"
                args = ["-p", "${DATA_DIR:-/data}"]

                [[init]]
                command = "touch"
                args = ["x"]
                working_dir = "/tmp"
                """);
        assertEquals(List.of(
                new InitCommand("mkdir", List.of("-p", "/data"), null),
                new InitCommand("touch", List.of("x"), Path.of("/tmp"))), c.init());
    }

    @Test
    void servicesKeepTheirOrder() throws ConfigException {
        CarnivalConfig c = bind("""
                [[service]]
                name = "b"
                command = "true"
                [[service]]
                name = "a"
                command = "true"
                """);
        assertEquals(List.of("b", "a"), c.services().stream().map(ServiceConfig::name).toList());
    }

    @Test
    void zeroReplicasAllowed() throws ConfigException {
        assertEquals(0, service("name = \"w\"\ncommand = \"true\"\nreplicas = 0\n").replicas());
    }

    // ---- errors ------------------------------------------------------------------------

    @Test
    void unknownServiceKeyListsKnownKeys() {
        fails("[[service]]\nname = \"web\"\ncommand = \"true\"\nreplica = 2\n", 4, 1,
                "unknown key 'replica' in [[service]] 'web' (" + SERVICE_KEYS + ")");
    }

    @Test
    void unknownKeyIsNamedAsWritten() {
        fails("[[service]]\nname = \"web\"\ncommand = \"true\"\n  restart_dela_ms = 2\n", 4, 3,
                "unknown key 'restart_dela_ms' in [[service]] 'web' (" + SERVICE_KEYS + ")");
    }

    @Test
    void unknownTopLevelKey() {
        fails("[[services]]\nname = \"web\"\n", 1, 1,
                "unknown key 'services' in the top level (known keys: global, init, service)");
    }

    @Test
    void unknownGlobalKey() {
        fails("[global]\nshutdown-timeout = 5\n", 2, 1,
                "unknown key 'shutdown-timeout' in [global] (known keys: shutdown-timeout-ms, output, output-timestamps,"
                        + " env-file, env, control-socket, http-listen, log-format, log-buffer-lines, resource-period-ms,"
                        + " drain-ms, reload-signal, watch-config)");
    }

    @Test
    void controlSocketAndHttpListen() throws ConfigException {
        GlobalConfig g = bind("[global]\ncontrol_socket = \"/run/x.sock\"\nhttp-listen = \"${CARNIVAL_TEST_UNSET:-[::]:8558}\"\n").global();
        assertEquals(Optional.of("/run/x.sock"), g.controlSocket());
        assertEquals(Optional.of("[::]:8558"), g.httpListen());
        assertEquals(Optional.empty(), bind("").global().httpListen());
        assertEquals(Optional.of("off"), bind("[global]\ncontrol-socket = \"off\"\n").global().controlSocket());
        fails("[global]\nhttp-listen = \"8558\"\n", 2, 1,
                "'http-listen' in [global] must be HOST:PORT (e.g. \"0.0.0.0:8558\"), got '8558'");
        fails("[global]\nhttp-listen = \"localhost:99999\"\n", 2, 1,
                "'http-listen' in [global] must be HOST:PORT with a port from 0 to 65535, got 'localhost:99999'");
        fails("[global]\ncontrol-socket = \"\"\n", 2, 1, "'control-socket' in [global] must not be empty");
    }

    @Test
    void unknownInitKey() {
        fails("[[init]]\ncommand = \"true\"\nname = \"x\"\n", 3, 1,
                "unknown key 'name' in [[init]] #1 (known keys: command, args, working-dir, env-file, env, user, group)");
    }

    @Test
    void wrongTypes() {
        fails("[[service]]\nname = 5\ncommand = \"true\"\n", 2, 1, "'name' in [[service]] #1 must be a string, got an integer");
        fails("[[service]]\nname = \"w\"\ncommand = [\"a\"]\n", 3, 1,
                "'command' in [[service]] 'w' must be a string, got an array");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nreplicas = true\n", 4, 1,
                "'replicas' in [[service]] 'w' must be a whole number >= 0, got a boolean");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nreplicas = 1.5\n", 4, 1,
                "'replicas' in [[service]] 'w' must be a whole number >= 0, got a float");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart-delay-ms = {}\n", 4, 1,
                "'restart-delay-ms' in [[service]] 'w' must be a number of milliseconds >= 0, got a table");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart = 1\n", 4, 1,
                "'restart' in [[service]] 'w' must be a string, got an integer");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\ncritical = 1\n", 4, 1,
                "'critical' in [[service]] 'w' must be true or false, got an integer");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nstop-signal = true\n", 4, 1,
                "'stop-signal' in [[service]] 'w' must be a signal name such as \"SIGTERM\", got a boolean");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nworking-dir = 3\n", 4, 1,
                "'working-dir' in [[service]] 'w' must be a string, got an integer");
    }

    @Test
    void argsMustBeStrings() {
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nargs = \"-c\"\n", 4, 1,
                "'args' in [[service]] 'w' must be an array of strings, got a string");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nargs = [\"a\", true]\n", 4, 14,
                "'args' in [[service]] 'w' must be an array of strings, got a boolean");
        fails("[[init]]\ncommand = \"true\"\nargs = [1.5]\n", 3, 9,
                "'args' in [[init]] #1 must be an array of strings, got a float");
    }

    @Test
    void negativeNumbers() {
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nreplicas = -1\n", 4, 1,
                "'replicas' in [[service]] 'w' must be a whole number >= 0, got -1");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart-delay-ms = \"-5\"\n", 4, 1,
                "'restart-delay-ms' in [[service]] 'w' must be a number of milliseconds >= 0, got -5");
        fails("[global]\nshutdown_timeout_ms = -1\n", 2, 1,
                "'shutdown-timeout-ms' in [global] must be a number of milliseconds >= 0, got -1");
    }

    @Test
    void nonNumericStrings() {
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nreplicas = \"lots\"\n", 4, 1,
                "'replicas' in [[service]] 'w' must be a whole number >= 0, got 'lots'");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nreplicas = \"${W:-many}\"\n", 4, 1,
                "'replicas' in [[service]] 'w' must be a whole number >= 0, got 'many' (from '${W:-many}')");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nstop-timeout-ms = \"${UNSET}\"\n", 4, 1,
                "'stop-timeout-ms' in [[service]] 'w' must be a number of milliseconds >= 0, got '${UNSET}'");
    }

    @Test
    void tooLargeCount() {
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart-limit = 3000000000\n", 4, 1,
                "'restart-limit' in [[service]] 'w' is too large: 3000000000");
    }

    @Test
    void missingNameOrCommandPointsAtTheTable() {
        fails("[[service]]\ncommand = \"true\"\n", 1, 1, "[[service]] #1 has no 'name'");
        fails("[[service]]\nname = \"a\"\ncommand = \"true\"\n\n[[service]]\nname = \"web\"\n", 5, 1,
                "[[service]] 'web' has no 'command'");
        fails("[[init]]\nargs = []\n", 1, 1, "[[init]] #1 has no 'command'");
    }

    @Test
    void emptyValues() {
        fails("[[service]]\nname = \"\"\ncommand = \"true\"\n", 2, 1, "'name' in [[service]] #1 must not be empty");
        fails("[[service]]\nname = \"w\"\ncommand = \"${EMPTY}\"\n", 3, 1,
                "'command' in [[service]] 'w' must not be empty");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nworking-dir = \" \"\n", 4, 1,
                "'working-dir' in [[service]] 'w' must not be empty");
        fails("[[init]]\ncommand = \"  \"\n", 2, 1, "'command' in [[init]] #1 must not be empty");
    }

    @Test
    void duplicateServiceNamesNameTheFirstLocation() {
        fails("""
                [[service]]
                name = "web"
                command = "true"

                [[service]]
                  name = "${MISSING:-web}"
                command = "true"
                """, 6, 3, "duplicate service name 'web' (first defined at c.toml:2:1)");
    }

    @Test
    void kebabAndSnakeSpellingOfOneKey() {
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart-delay-ms = 1\nrestart_delay_ms = 2\n", 5, 1,
                "'restart-delay-ms' and 'restart_delay_ms' in [[service]] #1 are the same key "
                        + "(kebab-case and snake_case are equivalent)");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart-options = { max_tries = 1, max-tries = 2 }\n",
                4, 36, "'max_tries' and 'max-tries' in 'restart-options' of [[service]] 'w' are the same key "
                        + "(kebab-case and snake_case are equivalent)");
    }

    @Test
    void nonTableEntries() {
        fails("service = 1\n", 1, 1, "'service' must be an array of tables ([[service]]), got an integer");
        fails("init = \"x\"\n", 1, 1, "'init' must be an array of tables ([[init]]), got a string");
        fails("service = [1]\n", 1, 12, "each 'service' entry must be a table, got an integer");
        fails("global = 5\n", 1, 1, "'global' must be a table ([global]), got an integer");
        fails("[service]\nname = \"w\"\n", 1, 1, "'service' must be an array of tables ([[service]]), got a table");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart-options = \"x\"\n", 4, 1,
                "'restart-options' in [[service]] 'w' must be a table, got a string");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart-options = { a = [1] }\n", 4, 21,
                "'a' in 'restart-options' in [[service]] 'w' must be a string, number or boolean, got an array");
    }

    @Test
    void badSignal() {
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nstop-signal = \"SIGFOO\"\n", 4, 1,
                "'stop-signal' in [[service]] 'w': unknown signal 'SIGFOO' "
                        + "(use a name such as SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH)");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nstop-signal = 99\n", 4, 1,
                "'stop-signal' in [[service]] 'w': unknown signal '99' "
                        + "(use a name such as SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH)");
    }

    @Test
    void badBooleanString() {
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\ncritical = \"yes\"\n", 4, 1,
                "'critical' in [[service]] 'w' must be true or false, got 'yes'");
    }

    // ---- source map ----------------------------------------------------------------------

    @Test
    void sourceMapPointsAtKeysThenTheTableThenTheFile() throws ConfigException {
        SourceMap map = bindBound("""
                [[init]]
                command = "true"

                [[service]]
                name = "a"
                  command = "true"
                restart = "always"
                """).sources();
        assertEquals(ORIGIN, map.origin());
        assertEquals(new Location(ORIGIN, 2, 1), map.at(SourceMap.init(0, "command")));
        assertEquals(new Location(ORIGIN, 5, 1), map.at(SourceMap.service(0, "name")));
        assertEquals(new Location(ORIGIN, 6, 3), map.at(SourceMap.service(0, "command")));
        assertEquals(new Location(ORIGIN, 7, 1), map.at(SourceMap.service(0, "restart")));
        // Not written: the enclosing [[service]] table.
        assertEquals(new Location(ORIGIN, 4, 1), map.at(SourceMap.service(0, "restart-options")));
        assertEquals(new Location(ORIGIN, 4, 1), map.at(SourceMap.service(0, "working-dir")));
        assertEquals(new Location(ORIGIN, 1, 1), map.at(SourceMap.init(0, "working-dir")));
        // No such service: just the file.
        assertEquals(Location.of(ORIGIN), map.at(SourceMap.service(3, "command")));
        assertEquals(Location.of(ORIGIN), map.at("nothing"));
    }

    @Test
    void sourceMapPaths() {
        assertEquals("service[2].command", SourceMap.service(2, "command"));
        assertEquals("service[2]", SourceMap.service(2, ""));
        assertEquals("init[0].args", SourceMap.init(0, "args"));
        SourceMap m = new SourceMap("f", Map.of("service[1]", new Location("f", 9, 2)));
        assertEquals(new Location("f", 9, 2), m.at("service[1].restart"));
        assertEquals(new Location("f", 9, 2), m.at("service[1]"));
        assertEquals(Location.of("f"), m.at("service[0].restart"));
    }

    @Test
    void bindsAnyTreeNotJustToml() throws ConfigException {
        Location at = Location.of("code");
        ConfigNode.Table svc = new ConfigNode.Table(Map.of(
                "name", new ConfigNode.Text("x", at), "command", new ConfigNode.Text("true", at),
                "critical", new ConfigNode.Bool(true, at)), at);
        ConfigNode.Table root = new ConfigNode.Table(Map.of("service", new ConfigNode.Array(List.of(svc), at)), at);
        BoundConfig b = new ConfigBinder(new Interpolator(Map.of())).bind(root);
        assertTrue(b.config().services().getFirst().critical());
        assertEquals("code", b.sources().origin());
    }

    // ---- hostile input (issue 15) --------------------------------------------------------

    @Test
    void nulInAnyStringIsAnErrorAtItsLocation() {
        fails("[[service]]\nname = \"w\"\ncommand = \"tr\\u0000ue\"\n", 3, 1,
                "'command' in [[service]] 'w' must not contain a NUL character (\\0), found one in 'tr\\0ue'");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nworking-dir = \"/tmp\\u0000/x\"\n", 4, 1,
                "'working-dir' in [[service]] 'w' must not contain a NUL character (\\0), found one in '/tmp\\0/x'");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nargs = [\"ok\", \"x\\u0000y\"]\n", 4, 15,
                "'args' in [[service]] 'w' must not contain a NUL character (\\0), found one in 'x\\0y'");
        fails("[[init]]\ncommand = \"${MISSING:-a\\u0000}\"\n", 2, 1,
                "'command' in [[init]] #1 must not contain a NUL character (\\0), found one in 'a\\0'");
        fails("[[service]]\nname = \"w\\u0000\"\ncommand = \"true\"\n", 2, 1,
                "'name' in [[service]] #1 must not contain a NUL character (\\0), found one in 'w\\0'");
    }

    @Test
    void controlCharactersInANameAreAnError() {
        fails("[[service]]\nname = \"a\\n2026-01-01 00:00:00 [ERROR] forged\\u001b[2J\"\ncommand = \"true\"\n", 2, 1,
                "'name' in [[service]] #1 must not contain control characters, found '\\n' at character 2 of "
                        + "'a\\n2026-01-01 00:00:00 [ERROR] forged\\u001b[2J'");
        fails("[[service]]\nname = \"a\\u202eb\"\ncommand = \"true\"\n", 2, 1,
                "'name' in [[service]] #1 must not contain control characters, found '\\u202e' at character 2 of 'a\\u202eb'");
    }

    @Test
    void namesTheOriginalAcceptsStayValid() throws ConfigException {
        for (String name : List.of("web", "my service", "caf\u00e9", "a/b:c", "\u65e5\u672c", "x.y-z_1", "\ud83d\ude00")) {
            assertEquals(name, service("name = \"" + name + "\"\ncommand = \"true\"\n").name());
        }
    }

    @Test
    void durationsHaveAMaximum() throws ConfigException {
        assertEquals(Duration.ofDays(7), service("name = \"w\"\ncommand = \"true\"\nrestart-delay-ms = 604800000\n").restartDelay());
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nrestart-delay-ms = 9223372036855\n", 4, 1,
                "'restart-delay-ms' in [[service]] 'w' is too large: 9223372036855 (the most is 604800000, 7 days)");
        fails("[[service]]\nname = \"w\"\ncommand = \"true\"\nstop-timeout-ms = 9223372036854775807\n", 4, 1,
                "'stop-timeout-ms' in [[service]] 'w' is too large: 9223372036854775807 (the most is 604800000, 7 days)");
        fails("[global]\nshutdown-timeout-ms = \"604800001\"\n", 2, 1,
                "'shutdown-timeout-ms' in [global] is too large: 604800001 (the most is 604800000, 7 days)");
    }

    @Test
    void userTextInMessagesIsEscapedAndCut() {
        String key = "k".repeat(100_000);
        ConfigException e = assertThrows(ConfigException.class, () -> bind(key + " = 1\n"));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        assertTrue(e.problem().startsWith("unknown key '" + "k".repeat(80) + "...(99920 more characters)' in the top level"),
                e.problem());
        ConfigException v = assertThrows(ConfigException.class,
                () -> bind("[[service]]\nname = \"w\"\ncommand = \"true\"\ncritical = \"x\\ny\"\n"));
        assertEquals("'critical' in [[service]] 'w' must be true or false, got 'x\\ny'", v.problem());
        ConfigException named = assertThrows(ConfigException.class,
                () -> bind("[[service]]\nname = \"" + "n".repeat(5000) + "\"\ncommand = \"true\"\nx = 1\n"));
        // The name is cut; the rest is the list of known keys, which grows with every key.
        assertTrue(named.getMessage().indexOf("n".repeat(81)) < 0
                && named.getMessage().length() < 200 + SERVICE_KEYS.length(), named.getMessage());
    }

    @Test
    void anyTreeDeeperThanTheLimitIsRefusedWithoutRecursion() {
        Location at = new Location(ORIGIN, 1, 1);
        ConfigNode node = new ConfigNode.Int(1, at);
        for (int i = 0; i < 200_000; i++) {
            node = new ConfigNode.Array(List.of(node), new Location(ORIGIN, 1, i + 1));
        }
        ConfigNode.Table root = new ConfigNode.Table(Map.of("x", node), at);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigBinder(new Interpolator(Map.of())).bind(root));
        assertEquals("nested deeper than 64 levels", e.problem());
    }
}
