package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.EnvVars;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * An environment file in the syntax of Docker Compose's {@code env_file}: {@code KEY=VALUE}
 * lines, blank lines and {@code #} comments, an optional {@code export } prefix, whitespace
 * around the key and the {@code =} ignored.
 * <ul>
 *   <li>Unquoted: the rest of the line, trimmed; {@code #} after whitespace starts a comment;
 *       {@code =} and quotes inside are kept.
 *   <li>{@code 'single'}: literal, {@code \'} being the only escape; may span lines.
 *   <li>{@code "double"}: {@code \n \r \t \" \\ \$} are escapes (any other backslash is kept);
 *       may span lines. After the closing quote only whitespace and a comment may follow.
 * </ul>
 * As in Compose, unquoted and double-quoted values are interpolated ({@code ${VAR}},
 * {@code ${VAR:-default}}, {@code $VAR}) from Carnival's own environment, then from the lines
 * above in the same file; single-quoted values never are. A later line for the same key wins.
 * Errors name the file, line and column.
 */
public final class EnvFile {
    private final String text;
    private final String origin;
    private final Interpolator interpolator;
    private final SequencedMap<String, String> values = new LinkedHashMap<>();
    private int pos;
    private int line = 1;
    private int lineStart;

    private EnvFile(String text, String origin, Interpolator interpolator) {
        this.text = text;
        this.origin = origin;
        this.interpolator = interpolator.orElse(values);
    }

    /**
     * Reads {@code file}.
     *
     * @param where where the file was named (the {@code env-file} key), for a missing or unreadable file
     */
    public static SequencedMap<String, String> read(Path file, Location where, Interpolator interpolator)
            throws ConfigException {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ConfigException(where, "env-file '" + name + "' is a directory");
            }
            if (Files.size(file) > ConfigLoader.MAX_BYTES) {
                throw new ConfigException(where, "env-file '" + name + "' is larger than 1 MiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(where, "env-file '" + name + "' not found");
        } catch (AccessDeniedException e) {
            throw new ConfigException(where, "env-file '" + name + "' is not readable (permission denied)");
        } catch (IOException e) {
            throw new ConfigException(where, "cannot read env-file '" + name + "': " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(Location.of(name), "env-file is not valid UTF-8");
        }
        return parse(text, name, interpolator);
    }

    /** Parses the text of an env file called {@code origin}. */
    public static SequencedMap<String, String> parse(String text, String origin, Interpolator interpolator)
            throws ConfigException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        EnvFile f = new EnvFile(text, origin, interpolator);
        f.parseAll();
        return f.values;
    }

    private void parseAll() throws ConfigException {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            pos = 0;
            while (pos < nul) {
                advance();
            }
            throw error("NUL byte");
        }
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                return;
            }
            char c = text.charAt(pos);
            if (c == '\n' || c == '\r') {
                advance();
            } else if (c == '#') {
                skipToEndOfLine();
            } else {
                assignment();
            }
        }
    }

    private void assignment() throws ConfigException {
        int keyLine = line;
        int keyColumn = column();
        String key = word();
        if (key.equals("export") && pos < text.length() && isBlank(text.charAt(pos))) {
            skipBlanks();
            keyColumn = column();
            key = word();
        }
        skipBlanks();
        if (key.isEmpty() || pos >= text.length() || text.charAt(pos) != '=') {
            throw new ConfigException(new Location(origin, keyLine, keyColumn),
                    "expected KEY=VALUE, got '" + restOfLine(keyColumn) + "'");
        }
        String invalid = EnvVars.invalidName(key);
        if (invalid != null) {
            throw new ConfigException(new Location(origin, keyLine, keyColumn), invalid);
        }
        advance(); // '='
        skipBlanks();
        String value;
        char q = pos < text.length() ? text.charAt(pos) : '\n';
        if (q == '\'') {
            value = singleQuoted();
            afterQuote();
        } else if (q == '"') {
            value = doubleQuoted();
            afterQuote();
        } else {
            value = interpolator.expand(unquoted());
        }
        values.put(key, value);
    }

    private String word() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '=' || isBlank(c) || c == '\n' || c == '\r') {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private String unquoted() {
        int start = pos;
        int end = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n' || c == '\r' || (c == '#' && pos > start && isBlank(text.charAt(pos - 1)))) {
                break;
            }
            pos++;
            end = pos;
        }
        skipToEndOfLine();
        return text.substring(start, end).strip();
    }

    private String singleQuoted() throws ConfigException {
        Location open = here();
        advance();
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\'') {
                advance();
                return out.toString();
            }
            if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\'') {
                advance();
                c = '\'';
            }
            out.append(c);
            advance();
        }
        throw new ConfigException(open, "unterminated single-quoted value");
    }

    /** Escapes become literal characters; the text between them is interpolated. */
    private String doubleQuoted() throws ConfigException {
        Location open = here();
        advance();
        StringBuilder out = new StringBuilder();
        StringBuilder raw = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                advance();
                return out.append(interpolator.expand(raw.toString())).toString();
            }
            if (c == '\\' && pos + 1 < text.length()) {
                char e = text.charAt(pos + 1);
                String escaped = switch (e) {
                    case 'n' -> "\n";
                    case 'r' -> "\r";
                    case 't' -> "\t";
                    case '"', '\\', '$' -> String.valueOf(e);
                    default -> null;
                };
                if (escaped != null) {
                    out.append(interpolator.expand(raw.toString())).append(escaped);
                    raw.setLength(0);
                    advance();
                    advance();
                    continue;
                }
            }
            raw.append(c);
            advance();
        }
        throw new ConfigException(open, "unterminated double-quoted value");
    }

    private void afterQuote() throws ConfigException {
        skipBlanks();
        if (pos >= text.length()) {
            return;
        }
        char c = text.charAt(pos);
        if (c == '#') {
            skipToEndOfLine();
        } else if (c != '\n' && c != '\r') {
            throw error("unexpected text after the closing quote: '" + restOfLine(column()) + "'");
        }
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(text.charAt(pos))) {
            pos++;
        }
    }

    private void skipToEndOfLine() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    /** One character forward, counting lines. */
    private void advance() {
        if (text.charAt(pos) == '\n') {
            line++;
            lineStart = pos + 1;
        }
        pos++;
    }

    private String restOfLine(int fromColumn) {
        int start = lineStart + fromColumn - 1;
        int end = text.indexOf('\n', start);
        return text.substring(start, end < 0 ? text.length() : end).strip();
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private Location here() {
        return new Location(origin, line, column());
    }

    private ConfigException error(String problem) {
        return new ConfigException(here(), problem);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
