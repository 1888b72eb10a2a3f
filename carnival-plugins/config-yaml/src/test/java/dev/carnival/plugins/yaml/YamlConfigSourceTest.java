package dev.carnival.plugins.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.config.Location;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class YamlConfigSourceTest {
    private final YamlConfigSource source = new YamlConfigSource();

    private ConfigNode.Table parse(String yaml) throws ConfigException {
        return source.parse(yaml, "c.yaml");
    }

    private ConfigException fails(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertTrue(e.getMessage().startsWith(e.location() + ": "), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
        return e;
    }

    private static void assertAt(ConfigException e, int line, int column) {
        assertEquals(new Location("c.yaml", line, column), e.location(), e.getMessage());
    }

    private static ConfigNode get(ConfigNode node, Object... path) {
        for (Object step : path) {
            node = step instanceof Integer i
                    ? ((ConfigNode.Array) node).items().get(i)
                    : ((ConfigNode.Table) node).entries().get((String) step);
        }
        return node;
    }

    @Test
    void namesFormatAndExtensionsAndIsFoundByServiceLoader() {
        assertEquals("yaml", source.format());
        assertEquals(List.of("yaml", "yml"), source.extensions());
        assertTrue(ServiceLoader.load(ConfigSource.class).stream()
                .anyMatch(p -> p.type() == YamlConfigSource.class));
    }

    @Test
    void readsTheDocumentShape() throws ConfigException {
        ConfigNode.Table doc = parse("""
                init:
                  - command: mkdir
                    args: ["-p", "/data"]
                service:
                  - name: web
                    command: python3
                    replicas: 2
                    restart-options:
                      factor: 1.5
                global:
                  shutdown-timeout-ms: 5000
                """);
        assertEquals(List.of("init", "service", "global"), List.copyOf(doc.entries().keySet()));
        assertEquals("mkdir", ((ConfigNode.Text) get(doc, "init", 0, "command")).value());
        assertEquals("/data", ((ConfigNode.Text) get(doc, "init", 0, "args", 1)).value());
        assertEquals(2L, ((ConfigNode.Int) get(doc, "service", 0, "replicas")).value());
        assertEquals(1.5, ((ConfigNode.Decimal) get(doc, "service", 0, "restart-options", "factor")).value());
        assertEquals(5000L, ((ConfigNode.Int) get(doc, "global", "shutdown-timeout-ms")).value());
    }

    @Test
    void resolvesScalarsWithTheYaml12CoreSchema() throws ConfigException {
        ConfigNode.Table doc = parse("""
                dec: 42
                neg: -7
                plus: +3
                hex: 0x1F
                oct: 0o17
                float: 1.5
                exp: 1e3
                inf: -.inf
                nan: .NaN
                t: true
                f: FALSE
                no: no
                on: on
                yes: yes
                quoted: "12"
                str-tag: !!str 12
                int-tag: !!int "0x10"
                date: 2026-01-02
                env: ${PORT:-8000}
                empty: ""
                """);
        Map<String, ConfigNode> e = doc.entries();
        assertEquals(42L, ((ConfigNode.Int) e.get("dec")).value());
        assertEquals(-7L, ((ConfigNode.Int) e.get("neg")).value());
        assertEquals(3L, ((ConfigNode.Int) e.get("plus")).value());
        assertEquals(31L, ((ConfigNode.Int) e.get("hex")).value());
        assertEquals(15L, ((ConfigNode.Int) e.get("oct")).value());
        assertEquals(1.5, ((ConfigNode.Decimal) e.get("float")).value());
        assertEquals(1000.0, ((ConfigNode.Decimal) e.get("exp")).value());
        assertEquals(Double.NEGATIVE_INFINITY, ((ConfigNode.Decimal) e.get("inf")).value());
        assertTrue(Double.isNaN(((ConfigNode.Decimal) e.get("nan")).value()));
        assertEquals(true, ((ConfigNode.Bool) e.get("t")).value());
        assertEquals(false, ((ConfigNode.Bool) e.get("f")).value());
        // YAML 1.1's yes/no/on booleans are plain strings in 1.2: restart: no means "no".
        assertEquals("no", ((ConfigNode.Text) e.get("no")).value());
        assertEquals("on", ((ConfigNode.Text) e.get("on")).value());
        assertEquals("yes", ((ConfigNode.Text) e.get("yes")).value());
        assertEquals("12", ((ConfigNode.Text) e.get("quoted")).value());
        assertEquals("12", ((ConfigNode.Text) e.get("str-tag")).value());
        assertEquals(16L, ((ConfigNode.Int) e.get("int-tag")).value());
        assertEquals("2026-01-02", ((ConfigNode.Text) e.get("date")).value());
        assertEquals("${PORT:-8000}", ((ConfigNode.Text) e.get("env")).value());
        assertEquals("", ((ConfigNode.Text) e.get("empty")).value());
    }

    @Test
    void everyNodeHasItsLineAndColumn() throws ConfigException {
        ConfigNode.Table doc = parse("""
                # a comment
                service:
                  - name: web
                    args:
                      - "-m"
                      - http.server
                """);
        assertEquals(new Location("c.yaml", 2, 1), doc.location());
        // Values sit at their key, as in the TOML source.
        assertEquals(new Location("c.yaml", 2, 1), get(doc, "service").location());
        assertEquals(new Location("c.yaml", 3, 5), get(doc, "service", 0).location());
        assertEquals(new Location("c.yaml", 3, 5), get(doc, "service", 0, "name").location());
        assertEquals(new Location("c.yaml", 4, 5), get(doc, "service", 0, "args").location());
        assertEquals(new Location("c.yaml", 5, 9), get(doc, "service", 0, "args", 0).location());
        assertEquals(new Location("c.yaml", 6, 9), get(doc, "service", 0, "args", 1).location());
    }

    @Test
    void emptyFileIsAnEmptyConfig() throws ConfigException {
        assertEquals(Map.of(), parse("").entries());
        assertEquals(Map.of(), parse("# nothing yet\n").entries());
    }

    @Test
    void nullIsAnErrorNamingTheKey() {
        ConfigException e = fails("service:\n  - name: web\n    command:\n");
        assertAt(e, 3, 5);
        assertTrue(e.problem().startsWith("null value for 'service[0].command'"), e.problem());
        assertTrue(fails("global: ~\n").problem().contains("'global'"));
        ConfigException inList = fails("service:\n  - args: [a, null]\n");
        assertAt(inList, 2, 15);
        assertTrue(inList.problem().contains("'service[0].args[1]'"), inList.problem());
    }

    @Test
    void duplicateKeysAreAnError() {
        ConfigException e = fails("service:\n  - name: a\n    name: b\n");
        assertAt(e, 3, 5);
        assertEquals("duplicate key 'service[0].name' (first written at line 2, column 5)", e.problem());
        assertAt(fails("global: {}\nglobal: {}\n"), 2, 1);
    }

    @Test
    void aliasesAreRefusedWhereTheyAreUsed() {
        ConfigException e = fails("base: &args [a, b]\nservice:\n  - args: *args\n");
        assertAt(e, 3, 11);
        assertTrue(e.problem().startsWith("YAML aliases (*args) are not supported"), e.problem());
        // Scalar aliases too: no exceptions to remember.
        assertAt(fails("a: &x 1\nb: *x\n"), 2, 4);
    }

    @Test
    void billionLaughsFailsFastAtTheFirstAlias() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append('a').append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        ConfigException e = fails(yaml.toString());
        assertAt(e, 2, 10);
    }

    @Test
    void mergeKeysAreRefused() {
        ConfigException e = fails("service:\n  - <<: {name: web}\n");
        assertAt(e, 2, 5);
        assertTrue(e.problem().startsWith("YAML merge keys (<<) are not supported"), e.problem());
        assertAt(fails("a:\n  !!merge x: {b: 1}\n"), 2, 3);
    }

    @Test
    void aQuotedMergeKeyIsJustAString() throws ConfigException {
        assertInstanceOf(ConfigNode.Text.class, parse("'<<': x\n").entries().get("<<"));
    }

    @Test
    void nonStringKeysAreAnError() {
        ConfigException number = fails("global:\n  1: x\n");
        assertAt(number, 2, 3);
        assertEquals("keys must be strings, found the integer 1 as a key in 'global' (quote it to make it a string)",
                number.problem());
        ConfigException list = fails("? [a]\n: b\n");
        assertAt(list, 1, 3);
        assertTrue(list.problem().startsWith("keys must be strings, found a list"), list.problem());
        assertTrue(fails("true: x\n").problem().contains("the boolean true"));
        assertTrue(fails("~: x\n").problem().contains("found null"));
        assertTrue(fails("{a: 1}: x\n").problem().contains("found a map"));
    }

    @Test
    void quotedNumericKeysAreStrings() throws ConfigException {
        assertInstanceOf(ConfigNode.Text.class, parse("'1': x\n").entries().get("1"));
    }

    @Test
    void documentsOverOneMebibyteAreRefusedUnparsed() {
        // 600k two-byte characters: under the limit in chars, over it in bytes.
        String big = "a: \"" + "é".repeat(600_000) + "\"\n";
        ConfigException e = fails(big);
        assertEquals(Location.of("c.yaml"), e.location());
        assertTrue(e.problem().contains("1 MiB (1048576 bytes) limit"), e.problem());
        assertTrue(e.problem().startsWith("YAML config is 1200006 bytes"), e.problem());
    }

    @Test
    void documentsUpToTheLimitAreRead() throws ConfigException {
        String prefix = "a: \"";
        String suffix = "\"\n";
        String full = prefix + "x".repeat(YamlConfigSource.MAX_BYTES - prefix.length() - suffix.length()) + suffix;
        assertEquals(YamlConfigSource.MAX_BYTES, full.length());
        assertInstanceOf(ConfigNode.Text.class, parse(full).entries().get("a"));
    }

    @Test
    void aSecondDocumentIsAnError() {
        ConfigException e = fails("global: {}\n---\nservice: []\n");
        assertAt(e, 2, 1);
        assertEquals("a YAML config holds one document, found a second one", e.problem());
        assertAt(fails("---\na: 1\n...\n---\nb: 2\n"), 4, 1);
    }

    @Test
    void theTopLevelMustBeAMap() {
        ConfigException list = fails("- a\n- b\n");
        assertAt(list, 1, 1);
        assertTrue(list.problem().endsWith("found a list"), list.problem());
        assertTrue(fails("hello\n").problem().endsWith("found the string 'hello'"));
        assertTrue(fails("---\n").problem().endsWith("found null"));
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        ConfigException e = fails("service:\n  - name: web\n    args: [a, b\n");
        assertTrue(e.problem().startsWith("invalid YAML: "), e.problem());
        assertTrue(e.location().line() >= 3, e.getMessage());
        assertTrue(e.location().column() > 0, e.getMessage());
        ConfigException badIndent = fails("a: b: c\n");
        assertAt(badIndent, 1, 5);
        assertTrue(badIndent.problem().contains("mapping values are not allowed here"), badIndent.problem());
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        ConfigException e = fails("a: " + "[".repeat(100_000));
        // The root map is the first level, so the 64th [ is one too many.
        assertAt(e, 1, 3 + GuardedParser.MAX_DEPTH);
        assertTrue(e.problem().startsWith("YAML nested deeper than 64 levels"), e.problem());
    }

    @Test
    void unsupportedTagsAreErrors() {
        ConfigException custom = fails("global:\n  x: !secret abc\n");
        assertAt(custom, 2, 3);
        assertEquals("unsupported YAML tag !secret at 'global.x'", custom.problem());
        assertTrue(fails("s: !!set {a, b}\n").problem().startsWith("unsupported YAML tag !!set"));
        assertTrue(fails("b: !!binary aGk=\n").problem().startsWith("unsupported YAML tag !!binary"));
        assertTrue(fails("i: !!int twelve\n").problem().contains("'twelve' at 'i' is not an integer"));
    }

    @Test
    void integersBeyondLongAreAnError() {
        ConfigException e = fails("n: 9223372036854775808\n");
        assertAt(e, 1, 1);
        assertEquals("integer 9223372036854775808 at 'n' is out of range", e.problem());
    }

    /** Issue 15 #8: snakeyaml refuses these without saying where. */
    @Test
    void controlAndNulCharactersHaveLineAndColumn() {
        ConfigException nul = fails("service:\n  - name: a\n    command: tr\0ue\n");
        assertAt(nul, 3, 16);
        assertEquals("invalid YAML: a NUL character is not allowed (in a double-quoted string, write it as an escape"
                + " such as \\t)", nul.problem());
        ConfigException bell = fails("a: 1\r\nb: x\u0007y\n");
        assertAt(bell, 2, 5);
        assertTrue(bell.problem().startsWith("invalid YAML: control character U+0007 is not allowed"), bell.problem());
        assertAt(fails("k: \uD83D\uDE00\u001b\n"), 1, 5);
    }

    @Test
    void messagesQuoteUserTextEscapedAndShort() {
        String key = "k\\e[2J".repeat(150); // YAML keys stop at 1024 characters
        ConfigException e = fails("\"" + key + "\": 1\n\"" + key + "\": 2\n");
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        assertTrue(e.problem().startsWith("duplicate key 'k\\u001b[2Jk"), e.problem());
        assertTrue(e.problem().contains("more characters)"), e.problem());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheDocument() throws ConfigException {
        ConfigNode.Table root = source.parse("\uFEFFa: 1\nb:\n  c: x\n", "c.yaml");
        assertEquals(List.of("a", "b"), List.copyOf(root.entries().keySet()));
        assertEquals(new ConfigNode.Int(1, new Location("c.yaml", 1, 1)), root.entries().get("a"));
        assertEquals(new Location("c.yaml", 3, 3), ((ConfigNode.Table) root.entries().get("b")).entries().get("c").location());
    }
}
