package dev.carnival.plugins.toml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * TomlReader against tomlj: whatever the reader accepts, tomlj must accept with the same values,
 * key order and positions; it may give up on anything (tomlj then reads it).
 */
class TomlReaderTest {
    private static final String ORIGIN = "t.toml";

    /** What the shipped examples and the README configs look like: these must not need tomlj. */
    private static final String CARNIVAL_CONFIG = """
            # A Carnival config with every kind of value a config uses
            [global]
            shutdown-timeout-ms = 5000
            shutdown_timeout_ms_typo = -1
            env = { LANG = "C.UTF-8", "QUOTED.KEY" = 'lit\\eral' }
            control-socket = "/run/carnival.sock"

            [[init]]
            command = "sh"
            args = ["-c", "echo \\"init\\" \\u00e9 \\U0001F600"]

            [[service]]
            name = "web"
            command = "python3"
            args = [
              "-m", "http.server",   # a comment inside an array
              "8080",
            ]
            replicas = 2
            restart = "always"
            restart-delay-ms = 1_000
            critical = true
            depends-on = []
            output = 'prefix'
            readiness = { probe = "tcp", port = 8080, period-seconds = 1 }
              [service.env]
              PORT = "8080"
              EMPTY = ""

            [[service]]
            name = "worker"
            command = "sh"
            args = ["-c", \"""
            while true; do
              echo "tick \\
                 still one line"
              sleep 1
            done\"""]
            script = '''
            literal \\n stays'''
            depends-on = [{ service = "web", condition = "ready" }]
            nested = [[1, 2], ["a"], [], [{}]]
            """;

    @Test
    void readsWhatCarnivalConfigsAreMadeOfWithoutTomlj() {
        ConfigNode.Table table = TomlReader.read(CARNIVAL_CONFIG, ORIGIN);
        assertNotNull(table, "the reader gave up on an ordinary config");
        assertEquals(Trees.dump(tomlj(CARNIVAL_CONFIG)), Trees.dump(table));
    }

    @Test
    void valuesAreTyped() {
        ConfigNode.Table table = TomlReader.read("a = 1\nb = \"x\"\nc = true\nd = [1]\ne = {}\n", ORIGIN);
        assertNotNull(table);
        Map<String, ConfigNode> e = table.entries();
        assertEquals(1L, ((ConfigNode.Int) e.get("a")).value());
        assertEquals("x", ((ConfigNode.Text) e.get("b")).value());
        assertTrue(((ConfigNode.Bool) e.get("c")).value());
        assertEquals(List.of("a", "b", "c", "d", "e"), List.copyOf(e.keySet()));
    }

    /** Cases that go to tomlj, valid or not: the reader must give up on each. */
    @ParameterizedTest
    @ValueSource(strings = {
        "a = 1.5", "a = 1e3", "a = inf", "a = nan", "a = 0x1f", "a = 0o7", "a = 0b1", "a = 01",
        "a = 1979-05-27", "a = 07:32:00", "a = 1979-05-27T07:32:00Z", "a = 1\r\n", "a = 9223372036854775808",
        "a = { b.c = 1 }", "\"\" = 1", "[a]\n[a]", "[a.b]\n[a]", "a.b = 1\n[a]", "a = {}\n[a]", "a = 1\na = 2",
        "a = [1,,2]", "a = { b = 1, }", "a = \"\\e\"", "a = \"\\x41\"", "a = \"\\uD800\"", "a = 'x\ny'",
        "[ [a] ]", "[a] b = 1", "a = tru", "a = truex", "a = 1__0", "a = _1", "a = 1_", "a = +", "a = \"\"\"x\"\"\"\"\"\"",
        "a = \"\"\"x\\ y\"\"\"", "a = \"\u0001\"", "# \u0000", "a = 1\n\uFEFFb = 2", "a = 1 # ok\nb", "a = [\"😀\", 1]",
    })
    void givesUpOn(String doc) {
        assertNull(TomlReader.read(doc, ORIGIN), doc);
        agree(doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "\n\n", "# only a comment", "a = 1", "a=1", "a\t=\t1\t# c", "  indented = true\n",
        "a = -0", "a = +42", "a = -9223372036854775808", "a = 1_2_3",
        "a = { x = \"é\", b = 1 }", "a = [\"é\", \"ü\", \"x\"]\nb = { c = '€', d = 2 }", "'literal key' = 1\n\"b.c\" = 2",
        "a.b.c = 1\na.b.d = 2\na.e = 3", "a . b = 1", "[x]\ny.z = 1", "[a.b.c]\nd = 1", "[a.b]\n[a.c]",
        "[[a]]\n[[a]]\nb = 1", "[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2", "[[a.b]]\n[[a.b]]", "[[a]]\n[[a.b]]\nc = 1",
        "a = [\n  1,\n  # c\n  2,\n]", "a = [[1, [2, [3]]], []]", "a = [{ b = 1 }, { c = [1, 2] }]",
        "a = \"\"\"\nx\"\"\"", "a = \"\"\"x\"\"\"\"", "a = \"\"\"x\"\"\"\"\"", "a = '''\n\nx'''", "a = '''it's'''''",
        "a = \"\"\"a \\\n\n   b\"\"\"", "a = \"\"\"a \\   \n   b\"\"\"", "a = \"\\b\\t\\n\\f\\r\\\"\\\\\"",
        "a = 1\n\n\n[b]\n\n# x\nc = 2\n", "[ spaced . header ]\nx = 1", "[[ spaced ]]\nx = 1", "1234 = 1\n-_- = 2",
        "a = {}\nb = { c = {}, d = { e = 1 } }",
    })
    void agreesWithTomljOn(String doc) {
        assertNotNull(TomlReader.read(doc, ORIGIN), "the reader gave up on: " + doc);
        agree(doc);
    }

    /**
     * Random documents built from TOML's pieces, then damaged at random: the invariant must
     * hold for each. The seed is fixed so a failure can be replayed; -Dtoml.seed picks another.
     */
    @Test
    void randomDocumentsAgreeWithTomlj() {
        long seed = Long.getLong("toml.seed", 20261202L);
        Random random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            String doc = new Generator(random).document();
            if (random.nextInt(3) == 0) {
                doc = damage(doc, random);
            }
            agree(doc);
            if (TomlReader.read(doc, ORIGIN) != null) {
                accepted++;
            }
        }
        // The generator must exercise the reader, not only its giving up.
        assertTrue(accepted > 600, "only " + accepted + " of 3000 documents were read (seed " + seed + ")");
    }

    private static void agree(String doc) {
        ConfigNode.Table fast = TomlReader.read(doc, ORIGIN);
        if (fast == null) {
            return;
        }
        ConfigNode.Table slow;
        try {
            slow = TomljReader.parse(doc, ORIGIN);
        } catch (ConfigException e) {
            throw new AssertionError("the reader accepted what tomlj rejects (" + e.getMessage() + "):\n" + doc);
        }
        assertEquals(Trees.dump(slow), Trees.dump(fast), () -> "different reading of:\n" + doc);
    }

    private static ConfigNode.Table tomlj(String doc) {
        try {
            return TomljReader.parse(doc, ORIGIN);
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage());
        }
    }

    private static String damage(String doc, Random random) {
        if (doc.isEmpty()) {
            return "=";
        }
        int at = random.nextInt(doc.length());
        String noises = "[]{}=,.\"'#\n \\x1_-+";
        String noise = String.valueOf(noises.charAt(random.nextInt(noises.length())));
        return switch (random.nextInt(3)) {
            case 0 -> doc.substring(0, at) + doc.substring(at + 1);
            case 1 -> doc.substring(0, at) + noise + doc.substring(at);
            default -> doc.substring(0, at) + noise + doc.substring(at + 1);
        };
    }

    /** Pieces chosen to collide: few key names, every value form, headers that reopen tables. */
    private record Generator(Random random) {
        private static final String[] KEYS = {"a", "b", "c", "\"a\"", "'b'", "\"a.b\"", "c-d", "1", "_"};
        private static final String[] SCALARS = {
            "1", "-2", "+3", "0", "1_000", "01", "1.5", "true", "false", "\"s\"", "'lit'", "\"esc\\t\\u00e9\"",
            "\"\"\"\nml\"\"\"", "'''ml\nx'''", "\"bad\\q\"", "1979-05-27", "\"é😀\"", "\"\"", "9223372036854775807",
        };

        String document() {
            StringBuilder doc = new StringBuilder();
            int lines = 1 + random.nextInt(8);
            for (int i = 0; i < lines; i++) {
                switch (random.nextInt(6)) {
                    case 0 -> {
                        boolean array = random.nextBoolean();
                        doc.append(array ? "[[" : "[").append(blank()).append(key()).append(blank()).append(array ? "]]" : "]");
                    }
                    case 1 -> doc.append(random.nextBoolean() ? "# note" : "");
                    default -> doc.append(blank()).append(key()).append(blank()).append('=').append(blank()).append(value(0));
                }
                if (random.nextInt(4) == 0) {
                    doc.append(blank()).append("# c");
                }
                doc.append('\n');
            }
            return doc.toString();
        }

        private String key() {
            StringBuilder key = new StringBuilder(pick(KEYS));
            while (random.nextInt(3) == 0) {
                key.append(random.nextBoolean() ? "." : " . ").append(pick(KEYS));
            }
            return key.toString();
        }

        private String value(int depth) {
            int kind = depth > 3 ? 0 : random.nextInt(5);
            if (kind == 3) {
                StringBuilder array = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.append(random.nextBoolean() ? "\n  " : " ").append(value(depth + 1));
                    if (i < n - 1 || random.nextBoolean()) {
                        array.append(',');
                    }
                    if (random.nextInt(5) == 0) {
                        array.append(" # in array\n");
                    }
                }
                return array.append(random.nextBoolean() ? "\n]" : "]").toString();
            }
            if (kind == 4) {
                StringBuilder table = new StringBuilder("{");
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    table.append(i == 0 ? " " : ", ").append(random.nextInt(6) == 0 ? key() : pick(KEYS))
                            .append(" = ").append(value(depth + 1));
                }
                return table.append(n > 0 ? " }" : "}").toString();
            }
            return pick(SCALARS);
        }

        private String blank() {
            return switch (random.nextInt(4)) {
                case 0 -> "";
                case 1 -> "\t";
                default -> " ";
            };
        }

        private String pick(String[] from) {
            return from[random.nextInt(from.length)];
        }
    }
}
