package dev.carnival.plugins.toml;

import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.Limits;
import dev.carnival.api.config.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the TOML that configs are made of straight into {@link ConfigNode}s, or gives up.
 *
 * <p>Why it exists: tomlj's ANTLR parser is about 230 classes that every start would load, and
 * its first parse runs interpreted for 15 ms or more. This reader handles tables, arrays of
 * tables, dotted and quoted keys, every string form, decimal integers, booleans, arrays and
 * inline tables. It gives up (returns {@code null}) on everything else, and then tomlj reads the
 * document and reports any error. That covers floats, dates and times, hex/octal/binary
 * integers, carriage returns, characters outside the BMP, dotted keys inside inline tables, empty keys, a table defined twice
 * or reopened by a header, nesting deeper than {@link Limits#MAX_DEPTH}, and any syntax error.
 *
 * <p>The contract, checked against tomlj by {@code TomlReaderTest} and on the official toml-test
 * corpus by {@code TomlCorpusTest}: whatever this reader accepts,
 * tomlj accepts too, with the same values, key order and positions.
 */
final class TomlReader {
    /** Thrown to give up; no stack trace, since giving up is an ordinary outcome. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    /** How a table came to be: decides what may add to it later. */
    private enum Origin { ROOT, HEADER, IMPLICIT, DOTTED, INLINE, ARRAY_ELEMENT }

    /** A value where it was written: a String, Long, Boolean, Table or Array. */
    private record Entry(Object value, Location at) {}

    private record Table(Origin origin, Map<String, Entry> entries) {
        Table(Origin origin) {
            this(origin, new LinkedHashMap<>());
        }
    }

    private record Array(boolean ofTables, List<Entry> items) {
        Array(boolean ofTables) {
            this(ofTables, new ArrayList<>());
        }
    }

    private final String text;
    private final String origin;
    private final int end;
    private int pos;
    private int line = 1;
    private int lineStart;

    private TomlReader(String text, String origin) {
        this.text = text;
        this.origin = origin;
        this.end = text.length();
    }

    /** The document as a table, or {@code null} when tomlj has to read it. */
    static ConfigNode.Table read(String text, String origin) {
        // tomlj counts columns in code points, this reader in chars: they agree without surrogates.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || Character.isSurrogate(c)) {
                return null;
            }
        }
        try {
            TomlReader reader = new TomlReader(text, origin);
            Table root = reader.document();
            return reader.table(root, new Location(origin, 1, 1), 1);
        } catch (GiveUp e) {
            return null;
        }
    }

    // ---- structure ----

    private Table document() {
        Table root = new Table(Origin.ROOT);
        Table current = root;
        while (pos < end) {
            skipBlanks();
            if (pos < end && text.charAt(pos) == '[') {
                current = header(root);
            } else if (pos < end && text.charAt(pos) != '#' && text.charAt(pos) != '\n') {
                Location at = here();
                List<String> keys = key();
                expectAfterBlanks('=');
                skipBlanks();
                put(current, keys, value(), at);
            }
            endOfLine();
        }
        return root;
    }

    private Table header(Table root) {
        Location at = here();
        pos++;
        boolean arrayOfTables = pos < end && text.charAt(pos) == '[';
        if (arrayOfTables) {
            pos++;
        }
        skipBlanks();
        List<String> keys = key();
        expectAfterBlanks(']');
        if (arrayOfTables) {
            expect(']');
        }
        Table parent = root;
        for (int i = 0; i < keys.size() - 1; i++) {
            Entry e = parent.entries().get(keys.get(i));
            if (e == null) {
                Table implicit = new Table(Origin.IMPLICIT);
                parent.entries().put(keys.get(i), new Entry(implicit, at));
                parent = implicit;
            } else if (e.value() instanceof Table t && (t.origin() == Origin.HEADER || t.origin() == Origin.IMPLICIT)) {
                parent = t;
            } else if (e.value() instanceof Array a && a.ofTables()) {
                parent = (Table) a.items().getLast().value();
            } else {
                throw GIVE_UP;
            }
        }
        String last = keys.getLast();
        Entry existing = parent.entries().get(last);
        if (!arrayOfTables) {
            if (existing != null) {
                throw GIVE_UP;
            }
            Table table = new Table(Origin.HEADER);
            parent.entries().put(last, new Entry(table, at));
            return table;
        }
        Array array;
        if (existing == null) {
            array = new Array(true);
            parent.entries().put(last, new Entry(array, at));
        } else if (existing.value() instanceof Array a && a.ofTables()) {
            array = a;
        } else {
            throw GIVE_UP;
        }
        Table element = new Table(Origin.ARRAY_ELEMENT);
        array.items().add(new Entry(element, at));
        return element;
    }

    /** A key/value line: dotted keys make (or extend) tables of their own only. */
    private static void put(Table table, List<String> keys, Object value, Location at) {
        Table parent = table;
        for (int i = 0; i < keys.size() - 1; i++) {
            Entry e = parent.entries().get(keys.get(i));
            if (e == null) {
                Table dotted = new Table(Origin.DOTTED);
                parent.entries().put(keys.get(i), new Entry(dotted, at));
                parent = dotted;
            } else if (e.value() instanceof Table t && t.origin() == Origin.DOTTED) {
                parent = t;
            } else {
                throw GIVE_UP;
            }
        }
        if (parent.entries().putIfAbsent(keys.getLast(), new Entry(value, at)) != null) {
            throw GIVE_UP;
        }
    }

    private List<String> key() {
        List<String> keys = new ArrayList<>(2);
        keys.add(simpleKey());
        while (true) {
            int mark = pos;
            skipBlanks();
            if (pos < end && text.charAt(pos) == '.') {
                pos++;
                skipBlanks();
                keys.add(simpleKey());
            } else {
                pos = mark;
                return keys;
            }
        }
    }

    private String simpleKey() {
        String key;
        if (pos < end && text.charAt(pos) == '"') {
            key = basicString();
        } else if (pos < end && text.charAt(pos) == '\'') {
            key = literalString();
        } else {
            int start = pos;
            while (pos < end && isBare(text.charAt(pos))) {
                pos++;
            }
            key = text.substring(start, pos);
        }
        if (key.isEmpty()) {
            throw GIVE_UP;
        }
        return key;
    }

    private static boolean isBare(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    // ---- values ----

    private Object value() {
        if (pos >= end) {
            throw GIVE_UP;
        }
        char c = text.charAt(pos);
        Object value = switch (c) {
            case '"' -> text.startsWith("\"\"\"", pos) ? multiLineString('"') : basicString();
            case '\'' -> text.startsWith("'''", pos) ? multiLineString('\'') : literalString();
            case '[' -> array();
            case '{' -> inlineTable();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            default -> integer();
        };
        return value;
    }

    private Boolean word(String word, Boolean value) {
        if (!text.startsWith(word, pos)) {
            throw GIVE_UP;
        }
        pos += word.length();
        requireDelimiter();
        return value;
    }

    /** Decimal only; a sign, digits, single underscores between digits, no leading zero. */
    private Long integer() {
        int start = pos;
        if (text.charAt(pos) == '+' || text.charAt(pos) == '-') {
            pos++;
        }
        int digits = pos;
        StringBuilder number = new StringBuilder(16).append(text, start, digits);
        while (pos < end) {
            char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                number.append(c);
                pos++;
            } else if (c == '_' && pos > digits && isDigit(pos - 1) && isDigit(pos + 1)) {
                pos++;
            } else {
                break;
            }
        }
        if (pos == digits || (text.charAt(digits) == '0' && pos > digits + 1)) {
            throw GIVE_UP;
        }
        requireDelimiter();
        try {
            return Long.parseLong(number.toString());
        } catch (NumberFormatException e) {
            throw GIVE_UP;
        }
    }

    private boolean isDigit(int at) {
        return at < end && text.charAt(at) >= '0' && text.charAt(at) <= '9';
    }

    /** What may follow a number or a boolean; anything else (1.5, 1e3, dates, truex) gives up. */
    private void requireDelimiter() {
        if (pos < end) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != ',' && c != ']' && c != '}' && c != '#') {
                throw GIVE_UP;
            }
        }
    }

    private String basicString() {
        pos++;
        StringBuilder s = new StringBuilder();
        while (pos < end) {
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return s.toString();
            }
            if (c == '\\') {
                escape(s);
            } else {
                plain(s, c);
            }
        }
        throw GIVE_UP;
    }

    private String literalString() {
        int start = ++pos;
        while (pos < end) {
            char c = text.charAt(pos);
            if (c == '\'') {
                return text.substring(start, pos++);
            }
            requireText(c);
            pos++;
        }
        throw GIVE_UP;
    }

    /** """...""" or '''...''': a newline right after the opening quotes is not part of it. */
    private String multiLineString(char quote) {
        pos += 3;
        if (pos < end && text.charAt(pos) == '\n') {
            newline();
        }
        StringBuilder s = new StringBuilder();
        while (pos < end) {
            char c = text.charAt(pos);
            if (c == quote) {
                int run = 0;
                while (pos + run < end && text.charAt(pos + run) == quote) {
                    run++;
                }
                if (run >= 3) {
                    if (run > 5) {
                        throw GIVE_UP;
                    }
                    s.repeat(quote, run - 3);
                    pos += run;
                    return s.toString();
                }
                s.repeat(quote, run);
                pos += run;
            } else if (c == '\n') {
                s.append('\n');
                newline();
            } else if (c == '\\' && quote == '"') {
                if (lineEndingBackslash()) {
                    continue;
                }
                escape(s);
            } else {
                plain(s, c);
            }
        }
        throw GIVE_UP;
    }

    /** A character taken as written: anything but a control character other than tab. */
    private void plain(StringBuilder s, char c) {
        requireText(c);
        s.append(c);
        pos++;
    }

    /** A backslash ending a line (blanks may follow it) trims every blank and newline after it. */
    private boolean lineEndingBackslash() {
        int p = pos + 1;
        while (p < end && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
            p++;
        }
        if (p >= end || text.charAt(p) != '\n') {
            return false;
        }
        pos = p;
        while (pos < end) {
            char c = text.charAt(pos);
            if (c == '\n') {
                newline();
            } else if (c == ' ' || c == '\t') {
                pos++;
            } else {
                break;
            }
        }
        return true;
    }

    private void escape(StringBuilder s) {
        if (pos + 1 >= end) {
            throw GIVE_UP;
        }
        char c = text.charAt(pos + 1);
        pos += 2;
        switch (c) {
            case 'b' -> s.append('\b');
            case 't' -> s.append('\t');
            case 'n' -> s.append('\n');
            case 'f' -> s.append('\f');
            case 'r' -> s.append('\r');
            case '"' -> s.append('"');
            case '\\' -> s.append('\\');
            case 'u' -> s.appendCodePoint(hex(4));
            case 'U' -> s.appendCodePoint(hex(8));
            default -> throw GIVE_UP;
        }
    }

    private int hex(int digits) {
        if (pos + digits > end) {
            throw GIVE_UP;
        }
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw GIVE_UP;
            }
            value = value * 16 + d;
            if (value > Character.MAX_CODE_POINT) {
                throw GIVE_UP;
            }
        }
        if (value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE) {
            throw GIVE_UP;
        }
        pos += digits;
        return value;
    }

    /** Control characters other than tab are not allowed in strings and comments. */
    private static void requireText(char c) {
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            throw GIVE_UP;
        }
    }

    private Array array() {
        pos++;
        Array array = new Array(false);
        while (true) {
            // tomlj places an item at the first token after the bracket or comma, and a newline
            // is a token there (blanks and comments are not).
            skipBlanks();
            skipComment();
            Location at = here();
            skipBlanksCommentsAndNewlines();
            if (pos < end && text.charAt(pos) == ']') {
                pos++;
                return array;
            }
            array.items().add(new Entry(value(), at));
            skipBlanksCommentsAndNewlines();
            if (pos < end && text.charAt(pos) == ',') {
                pos++;
            } else if (pos < end && text.charAt(pos) == ']') {
                pos++;
                return array;
            } else {
                throw GIVE_UP;
            }
        }
    }

    /** On one line, no trailing comma, no dotted keys. */
    private Table inlineTable() {
        pos++;
        Table table = new Table(Origin.INLINE);
        skipBlanks();
        if (pos < end && text.charAt(pos) == '}') {
            pos++;
            return table;
        }
        while (true) {
            Location at = here();
            List<String> keys = key();
            if (keys.size() != 1) {
                throw GIVE_UP;
            }
            expectAfterBlanks('=');
            skipBlanks();
            if (table.entries().putIfAbsent(keys.getFirst(), new Entry(value(), at)) != null) {
                throw GIVE_UP;
            }
            skipBlanks();
            if (pos < end && text.charAt(pos) == ',') {
                pos++;
                skipBlanks();
            } else if (pos < end && text.charAt(pos) == '}') {
                pos++;
                return table;
            } else {
                throw GIVE_UP;
            }
        }
    }

    // ---- lexical ----

    private Location here() {
        return new Location(origin, line, pos - lineStart + 1);
    }

    private void newline() {
        pos++;
        line++;
        lineStart = pos;
    }

    private void skipBlanks() {
        while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void skipComment() {
        if (pos < end && text.charAt(pos) == '#') {
            pos++;
            while (pos < end && text.charAt(pos) != '\n') {
                requireText(text.charAt(pos));
                pos++;
            }
        }
    }

    private void skipBlanksCommentsAndNewlines() {
        while (true) {
            skipBlanks();
            skipComment();
            if (pos < end && text.charAt(pos) == '\n') {
                newline();
            } else {
                return;
            }
        }
    }

    /** After a header or a key/value: blanks, maybe a comment, then a newline or the end. */
    private void endOfLine() {
        skipBlanks();
        skipComment();
        if (pos < end) {
            expect('\n');
            line++;
            lineStart = pos;
        }
    }

    private void expectAfterBlanks(char c) {
        skipBlanks();
        expect(c);
    }

    private void expect(char c) {
        if (pos >= end || text.charAt(pos) != c) {
            throw GIVE_UP;
        }
        pos++;
    }

    // ---- to ConfigNode, nested as tomlj's converter nests (see TomlConfigSource) ----

    private ConfigNode.Table table(Table table, Location location, int depth) {
        requireDepth(depth);
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : table.entries().entrySet()) {
            entries.put(e.getKey(), node(e.getValue().value(), e.getValue().at(), depth));
        }
        return new ConfigNode.Table(entries, location);
    }

    // On every start's path: see the start-up rules in StartupClassesIT (carnival-dist).
    private ConfigNode node(Object value, Location at, int depth) {
        if (value instanceof Table t) {
            return table(t, at, depth + 1);
        }
        if (value instanceof Array a) {
            requireDepth(depth + 1);
            List<ConfigNode> items = new ArrayList<>(a.items().size());
            for (Entry item : a.items()) {
                items.add(node(item.value(), item.at(), depth + 1));
            }
            return new ConfigNode.Array(items, at);
        }
        if (value instanceof String s) {
            return new ConfigNode.Text(s, at);
        }
        if (value instanceof Long l) {
            return new ConfigNode.Int(l, at);
        }
        return new ConfigNode.Bool((Boolean) value, at);
    }

    /** Too deep is an error with tomlj's message: give up and let that path report it. */
    private static void requireDepth(int depth) {
        if (depth > Limits.MAX_DEPTH) {
            throw GIVE_UP;
        }
    }
}
