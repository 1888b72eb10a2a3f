package dev.carnival.plugins.toml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The official toml-test corpus (its TOML 1.0 file list, in {@code src/test/toml-test}) through
 * both readers. Every case: where the fast path reads, tomlj reads the same tree (values,
 * positions, key order); the fast path never accepts what tomlj rejects, and gives up on every
 * invalid case. The valid cases tomlj reads also match toml-test's expected JSON.
 */
class TomlCorpusTest {
    private static final Path CORPUS = Path.of("src/test/toml-test");
    /** How many valid cases the fast path read when the corpus came in: it must not read fewer. */
    private static final int FAST_VALID_FLOOR = 138;

    /** What both readers made of one case; a null tree is a rejection (or, for fast, giving up). */
    private record Reading(ConfigNode.Table fast, ConfigNode.Table tomlj, String tomljError) {}

    @TestFactory
    Stream<DynamicTest> validCases() throws IOException {
        return cases("valid/").map(file -> DynamicTest.dynamicTest(file, () -> {
            Reading r = read(file);
            agree(file, r);
            if (r.tomlj() != null) {
                String mismatch = matchesJson(expected(file), r.tomlj(), "");
                assertNull(mismatch, () -> file + ": tomlj's reading differs from the expected JSON: " + mismatch);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidCases() throws IOException {
        return cases("invalid/").map(file -> DynamicTest.dynamicTest(file, () -> {
            Reading r = read(file);
            agree(file, r);
            assertNull(r.fast(), () -> file + ": the fast path accepted an invalid document");
        }));
    }

    /** The BOM case, through the source, on either path: what some Windows editors write. */
    @Test
    void byteOrderMarkIsAcceptedOnBothPaths() throws Exception {
        String text = decode(Files.readAllBytes(CORPUS.resolve("valid/utf8-bom-01.toml")));
        assertEquals('\uFEFF', text.charAt(0));
        ConfigNode.Table fast = new TomlConfigSource(null, null).parse(text, "bom.toml");
        ConfigNode.Table tomlj = new TomlConfigSource("tomlj", null).parse(text, "bom.toml");
        assertEquals(Trees.dump(tomlj), Trees.dump(fast));
        assertNotNull(TomlReader.read(TomlConfigSource.withoutByteOrderMark(text), "bom.toml"), "fast path gave up");
        assertNull(matchesJson(expected("valid/utf8-bom-01.toml"), fast, ""));
    }

    /** A guard on the guarantee above: a fast path that gave up on everything would pass it. */
    @Test
    void fastPathReadsMostValidCases() throws IOException {
        int fast = 0;
        int tomlj = 0;
        int total = 0;
        for (String file : cases("valid/").toList()) {
            Reading r = read(file);
            total++;
            fast += r.fast() != null ? 1 : 0;
            tomlj += r.tomlj() != null ? 1 : 0;
        }
        int lenient = 0;
        for (String file : cases("invalid/").toList()) {
            lenient += read(file).tomlj() != null ? 1 : 0;
        }
        System.out.printf("toml-test: of %d valid cases the fast path read %d, tomlj %d; tomlj accepted %d invalid cases%n",
                total, fast, tomlj, lenient);
        assertTrue(fast >= FAST_VALID_FLOOR, "the fast path read only " + fast + " of " + total + " valid cases");
    }

    private static void agree(String file, Reading r) {
        if (r.fast() == null) {
            return;
        }
        assertNotNull(r.tomlj(), () -> file + ": the fast path accepted what tomlj rejects (" + r.tomljError() + ")");
        assertEquals(Trees.dump(r.tomlj()), Trees.dump(r.fast()), () -> file + ": the readers differ");
    }

    /** The case's names from the corpus's TOML 1.0 list, under {@code prefix}. */
    private static Stream<String> cases(String prefix) throws IOException {
        return Files.readAllLines(CORPUS.resolve("files-toml-1.0.0")).stream()
                .filter(f -> f.startsWith(prefix) && f.endsWith(".toml"));
    }

    /** As Carnival reads a config file: strict UTF-8 (else rejected unread), then the source's steps. */
    private static Reading read(String file) throws IOException {
        String text;
        try {
            text = decode(Files.readAllBytes(CORPUS.resolve(file)));
        } catch (CharacterCodingException e) {
            return new Reading(null, null, "not UTF-8");
        }
        String body = TomlConfigSource.withoutByteOrderMark(text);
        try {
            NestingScan.check(body, file);
        } catch (ConfigException e) {
            return new Reading(null, null, e.getMessage());
        }
        ConfigNode.Table fast = TomlReader.read(body, file);
        try {
            return new Reading(fast, TomljReader.parse(body, file), null);
        } catch (ConfigException e) {
            return new Reading(fast, null, e.getMessage());
        }
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    // ---- toml-test's tagged JSON: tables as objects, arrays as arrays, {"type", "value"} leaves ----

    private record Leaf(String type, String value) {}

    private static Object expected(String file) throws IOException {
        Path json = CORPUS.resolve(file.replaceFirst("\\.toml$", ".json"));
        try (JsonParser p = new JsonFactory().createParser(json.toFile())) {
            p.nextToken();
            return json(p);
        }
    }

    private static Object json(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.START_ARRAY) {
            List<Object> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(json(p));
            }
            return items;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return p.getText();
        }
        Map<String, Object> fields = new HashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String name = p.currentName();
            p.nextToken();
            fields.put(name, json(p));
        }
        if (fields.size() == 2 && fields.get("type") instanceof String type && fields.get("value") instanceof String value) {
            return new Leaf(type, value);
        }
        return fields;
    }

    /** Null when {@code actual} is what {@code expected} describes, else where and how it differs. */
    private static String matchesJson(Object expected, ConfigNode actual, String path) {
        if (expected instanceof Map<?, ?> fields) {
            if (!(actual instanceof ConfigNode.Table t)) {
                return path + ": a table was expected, got " + actual.kind();
            }
            if (!fields.keySet().equals(t.entries().keySet())) {
                return path + ": keys " + fields.keySet() + " were expected, got " + t.entries().keySet();
            }
            for (Map.Entry<String, ConfigNode> e : t.entries().entrySet()) {
                String m = matchesJson(fields.get(e.getKey()), e.getValue(), path + "." + e.getKey());
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (expected instanceof List<?> items) {
            if (!(actual instanceof ConfigNode.Array a) || a.items().size() != items.size()) {
                return path + ": an array of " + items.size() + " was expected, got " + actual;
            }
            for (int i = 0; i < items.size(); i++) {
                String m = matchesJson(items.get(i), a.items().get(i), path + "[" + i + "]");
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        Leaf leaf = (Leaf) expected;
        return leafMatches(leaf, actual) ? null : path + ": " + leaf + " was expected, got " + actual;
    }

    private static boolean leafMatches(Leaf leaf, ConfigNode actual) {
        String v = leaf.value();
        return switch (leaf.type()) {
            case "string" -> actual instanceof ConfigNode.Text t && t.value().equals(v);
            case "integer" -> actual instanceof ConfigNode.Int i && i.value() == Long.parseLong(v);
            case "bool" -> actual instanceof ConfigNode.Bool b && b.value() == Boolean.parseBoolean(v);
            case "float" -> actual instanceof ConfigNode.Decimal d && Double.valueOf(d.value()).equals(decimal(v));
            // Dates and times reach a config as the text tomlj makes of them: compare the instants
            // and fields they name, not the spelling (tomlj writes 07:32Z for 07:32:00Z).
            case "datetime" -> actual instanceof ConfigNode.Text t
                    && OffsetDateTime.parse(t.value()).equals(OffsetDateTime.parse(temporal(v)));
            case "datetime-local" -> actual instanceof ConfigNode.Text t
                    && LocalDateTime.parse(t.value()).equals(LocalDateTime.parse(temporal(v)));
            case "date-local" -> actual instanceof ConfigNode.Text t && LocalDate.parse(t.value()).equals(LocalDate.parse(v));
            case "time-local" -> actual instanceof ConfigNode.Text t && LocalTime.parse(t.value()).equals(LocalTime.parse(v));
            default -> fail("unknown type in the expected JSON: " + leaf);
        };
    }

    private static Double decimal(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "+nan", "-nan" -> Double.NaN;
            default -> Double.valueOf(v);
        };
    }

    /** RFC 3339 allows a space or a lower-case t and z; java.time wants T and Z. */
    private static String temporal(String v) {
        return v.replace(' ', 'T').replace('t', 'T').replace('z', 'Z');
    }
}
