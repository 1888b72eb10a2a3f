package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Location;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolatorTest {
    private static final Map<String, String> ENV = Map.of(
            "TEST_VAR", "test_value",
            "NAME", "world",
            "PRESENT_VAR", "actual_value",
            "EMPTY", "",
            "NUM", "123");

    private final Interpolator interpolator = new Interpolator(ENV);

    /** Every case of the original Carnival's interpolation tests. */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ${TEST_VAR}                     | test_value
            $TEST_VAR                       | test_value
            ${TEST_VAR}_$NAME               | test_value_world
            Hello ${NAME}!                  | Hello world!
            ${MISSING_VAR:-default_value}   | default_value
            $MISSING_VAR                    | $MISSING_VAR
            ${MISSING_VAR}                  | ${MISSING_VAR}
            ${PRESENT_VAR:-default_value}   | actual_value
            ${TEST_VAR}_${UNDEFINED}        | test_value_${UNDEFINED}
            ${MISSING_VAR:-}                | ""
            ${MISSING_VAR:-/path/to/file}   | /path/to/file
            Service: $CARNIVAL_SERVICE_NAME | Service: $CARNIVAL_SERVICE_NAME
            """)
    void originalCases(String text, String expected) {
        assertEquals(expected, interpolator.expand(text));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            no variables at all             | no variables at all
            ""                              | ""
            $                               | $
            a $ b                           | a $ b
            $$                              | $$
            $$NAME                          | $world
            cost: 5$                        | cost: 5$
            ${                              | ${
            ${NAME                          | ${NAME
            x ${MISSING:-abc                | x ${MISSING:-abc
            ${}                             | ${}
            $1                              | $1
            ${1X}                           | ${1X}
            ${NAME:-}                       | world
            ${NAME:-x}${NAME}$NAME          | worldworldworld
            $NAMEx                          | $NAMEx
            ${NAME}x                        | worldx
            $NAME.txt                       | world.txt
            ${EMPTY:-default}               | ""
            [${EMPTY}]                      | []
            [$EMPTY]                        | []
            ${MISSING:-a:-b}                | a:-b
            ${MISSING:-$NAME}               | $NAME
            ${MISSING:-${NAME}}             | ${NAME}
            ${MISSING-x}                    | ${MISSING-x}
            ${MISSING:x}                    | ${MISSING:x}
            """)
    // A default is not expanded again, and it ends at the first unescaped brace.
    void edgeCases(String text, String expected) {
        assertEquals(expected, interpolator.expand(text));
    }

    @Test
    void escapedBraceInDefault() {
        assertEquals("a}b", interpolator.expand("${MISSING:-a\\}b}"));
        assertEquals("{x}", interpolator.expand("${MISSING:-{x\\}}"));
    }

    @Test
    void escapedBackslashInDefault() {
        assertEquals("a\\b", interpolator.expand("${MISSING:-a\\\\b}"));
        // An escaped backslash right before the closing brace: the brace still closes.
        assertEquals("a\\", interpolator.expand("${MISSING:-a\\\\}"));
        assertEquals("a\\}", interpolator.expand("${MISSING:-a\\\\\\}}"));
    }

    @Test
    void otherBackslashesInDefaultAreKept() {
        assertEquals("C:\\dir", interpolator.expand("${MISSING:-C:\\dir}"));
    }

    @Test
    void escapesDoNotApplyWhenTheVariableIsSet() {
        assertEquals("world", interpolator.expand("${NAME:-a\\}b}"));
    }

    @Test
    void valuesAreInsertedLiterallyAndNotExpandedAgain() {
        Interpolator i = new Interpolator(Map.of("V", "$NAME \\1 ${X} $0", "NAME", "n"));
        assertEquals("[$NAME \\1 ${X} $0]", i.expand("[$V]"));
        assertEquals("[$NAME \\1 ${X} $0]", i.expand("[${V}]"));
        assertEquals("a$1\\b", i.expand("${MISSING:-a$1\\\\b}"));
    }

    /** Any length: the regular expression this replaced overflowed the stack on a default of 200 characters. */
    @Test
    void longTextsInOnePass() {
        String d = "x".repeat(1_000_000);
        assertEquals(d, interpolator.expand("${START_CMD:-" + d + "}"));
        assertEquals("world", interpolator.expand("${NAME:-" + d + "}"));
        assertEquals("${START_CMD:-" + d, interpolator.expand("${START_CMD:-" + d));
        assertEquals("${A:-" + d + "world", interpolator.expand("${A:-" + d + "$NAME"));
        assertEquals("a}".repeat(100_000), interpolator.expand("${M:-" + "a\\}".repeat(100_000) + "}"));
        assertEquals("$".repeat(500_000), interpolator.expand("$".repeat(500_000)));
    }

    @Test
    void edgesOfTheSyntax() {
        assertEquals("$", interpolator.expand("$"));
        assertEquals("${", interpolator.expand("${"));
        assertEquals("${}", interpolator.expand("${}"));
        assertEquals("${NAME", interpolator.expand("${NAME"));
        assertEquals("${NAME:", interpolator.expand("${NAME:"));
        assertEquals("${NAME:x}", interpolator.expand("${NAME:x}"));
        assertEquals("$1world", interpolator.expand("$1$NAME"));
        // A backslash before a line end escapes nothing, so this is no variable.
        assertEquals("${M:-a\\\nb}", interpolator.expand("${M:-a\\\nb}"));
        assertEquals("world_", interpolator.expand("${NAME}_"));
    }

    @Test
    void environmentIsCopied() {
        Map<String, String> env = new LinkedHashMap<>(Map.of("A", "1"));
        Interpolator i = new Interpolator(env);
        env.put("A", "2");
        assertEquals("1", i.expand("$A"));
    }

    /** The original's numeric cases, through the binder that turns the text into a number. */
    @Test
    void numbersFromVariables() throws ConfigException {
        Location at = new Location("c.toml", 1, 1);
        ConfigBinder binder = new ConfigBinder(interpolator);
        var service = new ConfigNode.Table(Map.of(
                "name", new ConfigNode.Text("s", at),
                "command", new ConfigNode.Text("true", at),
                "replicas", new ConfigNode.Text("${NUM}", at),
                "restart-limit", new ConfigNode.Text("${MISSING:-999}", at)), at);
        var root = new ConfigNode.Table(Map.of("service",
                new ConfigNode.Array(java.util.List.of(service), at)), at);
        var s = binder.bind(root).config().services().getFirst();
        assertEquals(123, s.replicas());
        assertEquals(999, s.restartLimit());
    }
}
