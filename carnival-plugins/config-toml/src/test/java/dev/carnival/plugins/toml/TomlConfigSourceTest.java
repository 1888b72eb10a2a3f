package dev.carnival.plugins.toml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.config.Location;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TomlConfigSourceTest {
    private final TomlConfigSource source = new TomlConfigSource();

    private ConfigNode.Table parse(String text) throws ConfigException {
        return source.parse(text, "c.toml");
    }

    private static Location at(int line, int column) {
        return new Location("c.toml", line, column);
    }

    @Test
    void nameAndExtensions() {
        assertEquals("toml", source.format());
        assertEquals(List.of("toml"), source.extensions());
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(ConfigSource.class).stream()
                .anyMatch(p -> p.type() == TomlConfigSource.class));
    }

    @Test
    void scalarsBecomeTypedNodesInOrder() throws ConfigException {
        ConfigNode.Table root = parse("""
                s = "text"
                i = 42
                f = 1.5
                b = true
                d = 1979-05-27
                """);
        assertEquals(at(1, 1), root.location());
        assertEquals(List.of("s", "i", "f", "b", "d"), List.copyOf(root.entries().keySet()));
        assertEquals(new ConfigNode.Text("text", at(1, 1)), root.entries().get("s"));
        assertEquals(new ConfigNode.Int(42, at(2, 1)), root.entries().get("i"));
        assertEquals(new ConfigNode.Decimal(1.5, at(3, 1)), root.entries().get("f"));
        assertEquals(new ConfigNode.Bool(true, at(4, 1)), root.entries().get("b"));
        // Dates keep their text, so a string field gets what was written.
        assertEquals(new ConfigNode.Text("1979-05-27", at(5, 1)), root.entries().get("d"));
    }

    @Test
    void positionsPointAtTheKey() throws ConfigException {
        ConfigNode.Table root = parse("a = 1\n\n   indented = \"x\"\n");
        assertEquals(at(1, 1), root.entries().get("a").location());
        assertEquals(at(3, 4), root.entries().get("indented").location());
    }

    @Test
    void nestedTables() throws ConfigException {
        ConfigNode.Table root = parse("""
                [global]
                shutdown-timeout-ms = 500

                [outer.inner]
                key = "v"
                """);
        ConfigNode.Table global = assertInstanceOf(ConfigNode.Table.class, root.entries().get("global"));
        assertEquals(new ConfigNode.Int(500, at(2, 1)), global.entries().get("shutdown-timeout-ms"));
        ConfigNode.Table outer = assertInstanceOf(ConfigNode.Table.class, root.entries().get("outer"));
        ConfigNode.Table inner = assertInstanceOf(ConfigNode.Table.class, outer.entries().get("inner"));
        assertEquals(new ConfigNode.Text("v", at(5, 1)), inner.entries().get("key"));
    }

    @Test
    void inlineTablesAndArrays() throws ConfigException {
        ConfigNode.Table root = parse("""
                args = ["-c", "echo hi", 3]
                restart-options = { max = 3, backoff = "2" }
                """);
        ConfigNode.Array args = assertInstanceOf(ConfigNode.Array.class, root.entries().get("args"));
        assertEquals(at(1, 1), args.location());
        assertEquals(3, args.items().size());
        assertEquals(new ConfigNode.Text("-c", at(1, 9)), args.items().get(0));
        assertEquals(new ConfigNode.Text("echo hi", at(1, 15)), args.items().get(1));
        assertEquals(new ConfigNode.Int(3, at(1, 26)), args.items().get(2));
        ConfigNode.Table options = assertInstanceOf(ConfigNode.Table.class, root.entries().get("restart-options"));
        assertEquals(at(2, 1), options.location());
        assertEquals(List.of("max", "backoff"), List.copyOf(options.entries().keySet()));
        assertEquals(new ConfigNode.Int(3, at(2, 21)), options.entries().get("max"));
    }

    @Test
    void arrayOfTables() throws ConfigException {
        ConfigNode.Table root = parse("""
                [[service]]
                name = "a"
                command = "true"

                [[service]]
                name = "b"
                replicas = 2
                """);
        ConfigNode.Array services = assertInstanceOf(ConfigNode.Array.class, root.entries().get("service"));
        assertEquals(2, services.items().size());
        ConfigNode.Table a = assertInstanceOf(ConfigNode.Table.class, services.items().get(0));
        ConfigNode.Table b = assertInstanceOf(ConfigNode.Table.class, services.items().get(1));
        assertEquals(new ConfigNode.Text("a", at(2, 1)), a.entries().get("name"));
        assertEquals(new ConfigNode.Text("true", at(3, 1)), a.entries().get("command"));
        assertEquals(new ConfigNode.Text("b", at(6, 1)), b.entries().get("name"));
        assertEquals(new ConfigNode.Int(2, at(7, 1)), b.entries().get("replicas"));
        assertEquals(1, a.location().line());
        assertEquals(5, b.location().line());
    }

    @Test
    void quotedKeysWithDotsStayOneKey() throws ConfigException {
        ConfigNode.Table root = parse("""
                "a.b" = 1
                [t]
                "x.y.z" = "v"
                """);
        assertEquals(List.of("a.b", "t"), List.copyOf(root.entries().keySet()));
        assertEquals(new ConfigNode.Int(1, at(1, 1)), root.entries().get("a.b"));
        ConfigNode.Table t = assertInstanceOf(ConfigNode.Table.class, root.entries().get("t"));
        assertEquals(new ConfigNode.Text("v", at(3, 1)), t.entries().get("x.y.z"));
    }

    @Test
    void dottedKeysMakeNestedTables() throws ConfigException {
        ConfigNode.Table root = parse("a.b = 1\n");
        ConfigNode.Table a = assertInstanceOf(ConfigNode.Table.class, root.entries().get("a"));
        assertEquals(1L, ((ConfigNode.Int) a.entries().get("b")).value());
    }

    @Test
    void syntaxErrorHasLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("a = 1\nb = = 2\n"));
        assertEquals("c.toml", e.location().origin());
        assertEquals(2, e.location().line());
        assertTrue(e.location().column() > 0, "column: " + e.location());
        assertTrue(e.problem().startsWith("invalid TOML: "), e.problem());
        assertTrue(e.getMessage().startsWith("c.toml:2:" + e.location().column() + ": invalid TOML: "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    @Test
    void duplicateKeyIsASyntaxError() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("a = 1\na = 2\n"));
        assertEquals(2, e.location().line());
    }

    @Test
    void unterminatedStringIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("\n\nname = \"abc\n"));
        assertEquals(3, e.location().line());
    }

    @Test
    void emptyDocumentIsAnEmptyTable() throws ConfigException {
        ConfigNode.Table root = parse("# nothing\n");
        assertTrue(root.entries().isEmpty());
    }

    /** Issue 15 #5: tomlj's parser recurses per level; the same limit as YAML's, found before it runs. */
    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        ConfigException arrays = assertThrows(ConfigException.class, () -> parse("x = " + "[".repeat(200) + "]".repeat(200)));
        // The document is the first level, so the 64th [ (column 4 + 64) is one too many.
        assertEquals(at(1, 68), arrays.location());
        assertEquals("TOML nested deeper than 64 levels", arrays.problem());
        ConfigException inline = assertThrows(ConfigException.class,
                () -> parse("a = 1\nx = [\n" + "{ y = [".repeat(40) + "1" + "] }".repeat(40) + "]\n"));
        assertEquals(3, inline.location().line());
        assertThrows(ConfigException.class, () -> parse("x = " + "[".repeat(1_000_000)));
        ConfigException dotted = assertThrows(ConfigException.class, () -> parse("k" + ".k".repeat(200) + " = 1\n"));
        assertEquals("TOML nested deeper than 64 levels", dotted.problem());
        ConfigException header = assertThrows(ConfigException.class, () -> parse("[t" + ".t".repeat(100) + "]\n"));
        assertEquals("TOML nested deeper than 64 levels", header.problem());
    }

    @Test
    void sixtyFourLevelsAndBracketsInStringsCommentsAndHeadersAreFine() throws ConfigException {
        parse("x = " + "[".repeat(63) + "]".repeat(63) + "\n");
        String many = "[".repeat(100);
        ConfigNode.Table root = parse("s = \"" + many + "\"\n"
                + "l = '" + many + "'\n"
                + "m = \"\"\"" + many + "\n\"\"\"\"\"\n"
                + "n = '''" + many + "'''\n"
                + "# " + many + "\n"
                + "[\"" + many + "\"]\n"
                + "k = 1\n"
                + "[[a.b]]\n");
        assertEquals(new ConfigNode.Text(many, at(1, 1)), root.entries().get("s"));
        assertEquals(many + "\n\"\"", ((ConfigNode.Text) root.entries().get("m")).value());
        assertTrue(root.entries().containsKey(many));
    }

    @Test
    void tomljMessagesAreOneShortLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("a = \"x\u0001" + "y".repeat(10_000) + "\"\n"));
        assertTrue(e.getMessage().length() < 400, e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\u0001'), e.getMessage());
    }

    @Test
    void theSwitchForcesTomlj() throws ConfigException {
        assertTrue(new TomlConfigSource(null, null).fastPath(), "default");
        assertTrue(new TomlConfigSource("auto", null).fastPath());
        assertTrue(new TomlConfigSource(null, "auto").fastPath());
        assertFalse(new TomlConfigSource("tomlj", null).fastPath());
        assertFalse(new TomlConfigSource(null, "tomlj").fastPath());
        assertTrue(new TomlConfigSource("auto", "tomlj").fastPath(), "the property wins over the environment");
        String doc = "[global]\nshutdown-timeout-ms = 5000\n[[service]]\nname = \"a\"\nargs = [\"-c\", 'x']\n";
        assertEquals(new TomlConfigSource(null, null).parse(doc, "c.toml"), new TomlConfigSource("tomlj", null).parse(doc, "c.toml"));
    }

    @Test
    void theSwitchIsReadFromTheSystemProperty() throws ConfigException {
        String before = System.getProperty(TomlConfigSource.PROPERTY);
        System.setProperty(TomlConfigSource.PROPERTY, "tomlj");
        try {
            assertFalse(new TomlConfigSource().fastPath());
        } finally {
            if (before == null) {
                System.clearProperty(TomlConfigSource.PROPERTY);
            } else {
                System.setProperty(TomlConfigSource.PROPERTY, before);
            }
        }
    }

    @Test
    void anUnknownReaderIsAnErrorNamingTheSwitch() {
        ConfigException e = assertThrows(ConfigException.class, () -> new TomlConfigSource(null, "fast").parse("a = 1", "c.toml"));
        assertEquals("environment variable CARNIVAL_TOML_READER: unknown TOML reader 'fast' (known: auto, tomlj)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> new TomlConfigSource("Tomlj", "tomlj").parse("a = 1", "c.toml"));
        assertTrue(e.getMessage().startsWith("system property carnival.toml.reader: "), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheDocument() throws ConfigException {
        for (TomlConfigSource s : List.of(new TomlConfigSource(null, null), new TomlConfigSource("tomlj", null))) {
            ConfigNode.Table root = s.parse("\uFEFF[a]\nb = 1\n", "c.toml");
            assertEquals(new ConfigNode.Int(1, new Location("c.toml", 2, 1)),
                    ((ConfigNode.Table) root.entries().get("a")).entries().get("b"));
            assertEquals(new Location("c.toml", 1, 1), root.entries().get("a").location());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> parse("a = 1\n\uFEFFb = 2\n"));
        assertEquals(2, e.location().line(), "only the first character may be a byte order mark");
    }
}
