package dev.carnival.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.cli.CommandLine.Action;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {
    private static final Map<String, String> NO_ENV = Map.of();

    private static CommandLine parse(Map<String, String> env, String... args) throws UsageException {
        return CommandLine.parse(List.of(args), env);
    }

    private static CommandLine parse(String... args) throws UsageException {
        return parse(NO_ENV, args);
    }

    private static String error(Map<String, String> env, String... args) {
        return assertThrows(UsageException.class, () -> parse(env, args)).getMessage();
    }

    private static String error(String... args) {
        return error(NO_ENV, args);
    }

    @Test
    void configOptionSpellings() throws UsageException {
        for (String[] args : new String[][] {{"-c", "a.toml"}, {"--config", "a.toml"}, {"--config=a.toml"}}) {
            CommandLine cli = parse(args);
            assertEquals(Action.RUN, cli.action());
            assertEquals(Optional.of(Path.of("a.toml")), cli.config());
            assertEquals("-c/--config", cli.configFrom());
        }
    }

    @Test
    void defaults() throws UsageException {
        CommandLine cli = parse("-c", "a.toml");
        assertEquals("info", cli.logLevel());
        assertEquals(Optional.empty(), cli.format());
        assertEquals(List.of(), cli.pluginPath());
    }

    @Test
    void inlineValueMayContainEquals() throws UsageException {
        assertEquals(Optional.of(Path.of("a=b.toml")), parse("--config=a=b.toml").config());
    }

    @ParameterizedTest
    @CsvSource({"debug, debug", "INFO, info", "warn, warn", "warning, warn", "Warning, warn", "error, error", "' debug ', debug"})
    void logLevels(String given, String expected) throws UsageException {
        assertEquals(expected, parse("-c", "x", "-l", given).logLevel());
        assertEquals(expected, parse("-c", "x", "--log-level", given).logLevel());
        assertEquals(expected, parse("-c", "x", "--log-level=" + given).logLevel());
        assertEquals(expected, parse(Map.of("CARNIVAL_LOG_LEVEL", given), "-c", "x").logLevel());
    }

    @Test
    void logLevelOptionWinsOverEnvironment() throws UsageException {
        assertEquals("error", parse(Map.of("CARNIVAL_LOG_LEVEL", "debug"), "-c", "x", "-l", "error").logLevel());
        // A bad environment value does not matter when the option is given.
        assertEquals("error", parse(Map.of("CARNIVAL_LOG_LEVEL", "loud"), "-c", "x", "-l", "error").logLevel());
        assertEquals("info", parse(Map.of("CARNIVAL_LOG_LEVEL", " "), "-c", "x").logLevel());
    }

    @Test
    void invalidLogLevelNamesWhere() {
        assertEquals("invalid log level 'loud' in -l (choose from debug, info, warn, error)", error("-c", "x", "-l", "loud"));
        assertEquals("invalid log level 'loud' in --log-level (choose from debug, info, warn, error)",
                error("-c", "x", "--log-level=loud"));
        assertEquals("invalid log level 'trace' in CARNIVAL_LOG_LEVEL (choose from debug, info, warn, error)",
                error(Map.of("CARNIVAL_LOG_LEVEL", "trace"), "-c", "x"));
    }

    @Test
    void configPrecedence() throws UsageException {
        Map<String, String> both = Map.of("CARNIVAL_CONFIG", "generic.yaml", "CARNIVAL_CONFIG_TOML", "legacy.toml");
        CommandLine cli = parse(both, "-c", "given.toml");
        assertEquals(Optional.of(Path.of("given.toml")), cli.config());
        assertEquals("-c/--config", cli.configFrom());

        cli = parse(both);
        assertEquals(Optional.of(Path.of("generic.yaml")), cli.config());
        assertEquals("CARNIVAL_CONFIG", cli.configFrom());

        cli = parse(Map.of("CARNIVAL_CONFIG_TOML", "legacy.toml"));
        assertEquals(Optional.of(Path.of("legacy.toml")), cli.config());
        assertEquals("CARNIVAL_CONFIG_TOML", cli.configFrom());

        cli = parse(Map.of("CARNIVAL_CONFIG", "  ", "CARNIVAL_CONFIG_TOML", "legacy.toml"));
        assertEquals("CARNIVAL_CONFIG_TOML", cli.configFrom());
    }

    @Test
    void pluginPathRepeatable() throws UsageException {
        CommandLine cli = parse(Map.of("CARNIVAL_PLUGIN_PATH", "/env"), "-c", "x", "--plugin-path", "/a", "--plugin-path=/b");
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), cli.pluginPath());
    }

    @Test
    void pluginPathFromEnvironmentSplitOnColons() throws UsageException {
        CommandLine cli = parse(Map.of("CARNIVAL_PLUGIN_PATH", "/a::/b:"), "-c", "x");
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), cli.pluginPath());
    }

    @Test
    void formatOption() throws UsageException {
        assertEquals(Optional.of("yaml"), parse("-c", "x.conf", "--format", "yaml").format());
        assertEquals(Optional.of("toml"), parse("-c", "x.conf", "--format=toml").format());
    }

    @Test
    void pluginsSubcommandAndListPlugins() throws UsageException {
        assertEquals(Action.LIST_PLUGINS, parse("plugins").action());
        assertEquals(Action.LIST_PLUGINS, parse("--list-plugins").action());
        CommandLine cli = parse("plugins", "--plugin-path", "/p");
        assertEquals(Action.LIST_PLUGINS, cli.action());
        assertEquals(List.of(Path.of("/p")), cli.pluginPath());
        assertEquals(Optional.empty(), cli.config());
    }

    @Test
    void pluginsIsASubcommandOnlyInFirstPlace() {
        assertEquals("unexpected argument 'plugins'", error("-c", "x", "plugins"));
    }

    @Test
    void helpAndVersionNeedNoConfig() throws UsageException {
        assertEquals(Action.HELP, parse("-h").action());
        assertEquals(Action.HELP, parse("--help").action());
        assertEquals(Action.VERSION, parse("--version").action());
        assertEquals(Action.HELP, parse("-c", "x", "--help").action());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-c", "--config", "-l", "--log-level", "--format", "--plugin-path"})
    void optionNeedsAValue(String option) {
        assertEquals("option " + option + " needs a value", error(option));
    }

    @Test
    void unknownOption() {
        assertEquals("unknown option '--verbose'", error("-c", "x", "--verbose"));
        assertEquals("unknown option '-x'", error("-x"));
        assertEquals("unknown option '--nope=1'", error("--nope=1"));
    }

    @Test
    void unexpectedArgument() {
        assertEquals("unexpected argument 'carnival.toml'", error("carnival.toml"));
    }

    @Test
    void optionGivenTwice() {
        assertEquals("-c/--config given twice", error("-c", "a", "--config=b"));
        assertEquals("-l/--log-level given twice", error("-c", "a", "-l", "info", "--log-level", "info"));
        assertEquals("--format given twice", error("-c", "a", "--format", "toml", "--format", "toml"));
    }

    @Test
    void checkFromTakesAnRfc3339Time() throws UsageException {
        assertEquals(Optional.of(java.time.Instant.parse("2026-03-28T22:00:00Z")),
                parse("check", "-c", "a", "--from", "2026-03-29T00:00:00+02:00").checkFrom());
        assertEquals(Optional.empty(), parse("check", "-c", "a").checkFrom());
        assertEquals("--from needs a time such as 2026-03-29T00:00:00Z, got 'tomorrow'",
                error("check", "-c", "a", "--from=tomorrow"));
        assertEquals("--from given twice", error("check", "-c", "a", "--from=2026-01-01T00:00:00Z", "--from=2026-01-01T00:00:00Z"));
        assertEquals("--from is an option of 'carnival check'", error("-c", "a", "--from", "2026-01-01T00:00:00Z"));
    }

    @Test
    void noConfig() {
        assertEquals("no config file: give -c/--config FILE or set CARNIVAL_CONFIG_TOML (or CARNIVAL_CONFIG)", error());
        assertEquals("no config file: give -c/--config FILE or set CARNIVAL_CONFIG_TOML (or CARNIVAL_CONFIG)",
                error(Map.of("CARNIVAL_CONFIG_TOML", " "), "-l", "info"));
    }

    @Test
    void emptyConfigName() {
        assertEquals("-c/--config needs a file name", error("--config="));
        assertEquals("-c/--config needs a file name", error("-c", " "));
    }
}
