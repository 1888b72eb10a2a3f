package dev.carnival.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvFileTest {
    static final Path EVERY_CASE = Path.of("src/test/resources/env/every-case.env");
    private static final Interpolator HOST = new Interpolator(Map.of("HOST_VAR", "from-host"));
    private static final Location WHERE = new Location("c.toml", 7, 12);

    @TempDir
    Path dir;

    /** The file of every syntax case binds to exactly what every-case.expected (a properties file) says. */
    @Test
    void everySyntaxCase() throws Exception {
        Map<String, String> actual = EnvFile.read(EVERY_CASE, WHERE, HOST);
        Properties expected = new Properties();
        try (Reader in = Files.newBufferedReader(EVERY_CASE.resolveSibling("every-case.expected"))) {
            expected.load(in);
        }
        assertEquals(36, expected.size());
        assertEquals(expected, new TreeMap<>(actual).entrySet().stream().collect(
                Properties::new, (p, e) -> p.put(e.getKey(), e.getValue()), Properties::putAll));
    }

    @Test
    void emptyFileAndOnlyCommentsBindToNothing() throws ConfigException {
        assertEquals(Map.of(), EnvFile.parse("", "e", HOST));
        assertEquals(Map.of(), EnvFile.parse("\n\n  # c\n\t\n#x=1\n", "e", HOST));
        assertEquals(Map.of("A", "1"), EnvFile.parse("\uFEFFA=1", "e", HOST), "a BOM is skipped");
        assertEquals(Map.of("A", "1"), EnvFile.parse("A=1", "e", HOST), "no newline at the end");
    }

    @Test
    void laterDefinitionsAreSeenByInterpolationButCarnivalsEnvironmentComesFirst() throws ConfigException {
        Map<String, String> v = EnvFile.parse("HOST_VAR=mine\nA=$HOST_VAR\nB='$A'\n", "e", HOST);
        assertEquals("from-host", v.get("A"), "Compose looks the variable up in the environment first");
        assertEquals("$A", v.get("B"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            A=1\\nNOEQUALS\\n                 | e:2:1: expected KEY=VALUE, got 'NOEQUALS'
            A=1\\n  two words=x\\n            | e:2:3: expected KEY=VALUE, got 'two words=x'
            =value                           | e:1:1: expected KEY=VALUE, got '=value'
            export\\n                        | e:1:1: expected KEY=VALUE, got 'export'
            9LIVES=x                         | e:1:1: invalid variable name '9LIVES' (letters, digits and _, not starting with a digit)
            MY-KEY=x                         | e:1:1: invalid variable name 'MY-KEY' (letters, digits and _, not starting with a digit)
            export MY.KEY=x                  | e:1:8: invalid variable name 'MY.KEY' (letters, digits and _, not starting with a digit)
            A=1\\nB='open\\n\\nC=3\\n        | e:2:3: unterminated single-quoted value
            A=\\"open                        | e:1:3: unterminated double-quoted value
            A='x' y                          | e:1:7: unexpected text after the closing quote: 'y'
            A=\\"x\\"y                       | e:1:6: unexpected text after the closing quote: 'y'
            A=1\\nB=a\\0b\\n                 | e:2:4: NUL byte
            """)
    void errorsNameFileLineAndColumn(String text, String message) {
        String unescaped = text.replace("\\n", "\n").replace("\\0", "\0").replace("\\\"", "\"");
        ConfigException e = assertThrows(ConfigException.class, () -> EnvFile.parse(unescaped, "e", HOST));
        assertEquals(message, e.getMessage());
    }

    @Test
    void missingUnreadableOrDirectoryFileIsReportedWhereItWasNamed() throws IOException {
        Path missing = dir.resolve("nope.env");
        assertEquals("c.toml:7:12: env-file '" + missing + "' not found",
                assertThrows(ConfigException.class, () -> EnvFile.read(missing, WHERE, HOST)).getMessage());
        assertEquals("c.toml:7:12: env-file '" + dir + "' is a directory",
                assertThrows(ConfigException.class, () -> EnvFile.read(dir, WHERE, HOST)).getMessage());
        Path bad = Files.write(dir.resolve("bad.env"), new byte[] {'A', '=', (byte) 0xff});
        assertEquals(bad + ": env-file is not valid UTF-8",
                assertThrows(ConfigException.class, () -> EnvFile.read(bad, WHERE, HOST)).getMessage());
    }
}
