package dev.carnival.plugins.yaml;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.ConfigNode;
import dev.carnival.api.config.ConfigSource;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.Limits;
import dev.carnival.api.config.UserText;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * YAML 1.2 (core schema), read into the same document tree as a TOML config.
 *
 * <p>Stricter than YAML itself, so that a YAML config means exactly what its TOML twin means:
 * one document per file, a map at the top, string keys only, no duplicate keys, no nulls, and
 * no aliases or merge keys. Files over {@value #MAX_BYTES} bytes are refused unread.
 */
public final class YamlConfigSource implements ConfigSource {
    /** 1 MiB: a config is a few kilobytes; anything this big is a mistake or an attack. */
    static final int MAX_BYTES = Limits.MAX_BYTES;
    /** snakeyaml's messages may quote the input: cut them to a line. */
    private static final int MAX_MESSAGE = 200;

    @Override
    public String format() {
        return "yaml";
    }

    @Override
    public List<String> extensions() {
        return List.of("yaml", "yml");
    }

    @Override
    public ConfigNode.Table parse(String text, String origin) throws ConfigException {
        long size = utf8Length(text);
        if (size > MAX_BYTES) {
            throw new ConfigException(Location.of(origin),
                    "YAML config is " + size + " bytes, over the 1 MiB (" + MAX_BYTES + " bytes) limit");
        }
        refuseUnprintable(text, origin);
        LoadSettings settings = settings(origin);
        try {
            GuardedParser parser = new GuardedParser(new ParserImpl(settings, new StreamReader(settings, text)));
            Composer composer = new Composer(settings, parser);
            if (!composer.hasNext()) {
                // Empty or comments only: an empty config, as an empty TOML file is.
                return new ConfigNode.Table(Map.of(), new Location(origin, 1, 1));
            }
            Node document = composer.next();
            if (composer.hasNext()) {
                Event second = parser.peekEvent();
                throw new ConfigException(at(origin, second.getStartMark()),
                        "a YAML config holds one document, found a second one");
            }
            return new TreeBuilder(origin).document(document);
        } catch (GuardedParser.Refused e) {
            throw new ConfigException(at(origin, e.mark()), e.getMessage());
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            throw new ConfigException(at(origin, mark), "invalid YAML: " + describe(e), e);
        } catch (YamlEngineException e) {
            throw new ConfigException(Location.of(origin), "invalid YAML: " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * YAML allows only printable characters in a stream; snakeyaml-engine refuses the others
     * without saying where, so find the first one here, with its line and column.
     */
    private static void refuseUnprintable(String text, String origin) throws ConfigException {
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!StreamReader.isPrintable(c)) {
                throw new ConfigException(new Location(origin, line, column), "invalid YAML: "
                        + (c == 0 ? "a NUL character" : String.format("control character U+%04X", c))
                        + " is not allowed (in a double-quoted string, write it as an escape such as \\t)");
            }
            boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            if (c == '\n' || (c == '\r' && !crlf)) {
                line++;
                column = 1;
            } else if (!crlf) {
                column++;
            }
            i += Character.charCount(c);
        }
    }

    private static LoadSettings settings(String origin) {
        return LoadSettings.builder()
                .setLabel(origin)
                .setUseMarks(true)
                // Not the default: snakeyaml-engine defaults to the JSON schema, where ~, TRUE,
                // 0x1F and +3 are strings. The core schema is what YAML 1.2 tools agree on.
                .setSchema(new CoreSchema())
                // The composer does not check duplicates (only object construction does), so the
                // tree builder checks them too; this stays as a statement of intent.
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                // Aliases never reach the composer (GuardedParser refuses them); this is a second
                // wall against alias bombs should that ever change.
                .setMaxAliasesForCollections(0)
                .setCodePointLimit(MAX_BYTES)
                .setParseComments(false)
                .build();
    }

    static Location at(String origin, Optional<Mark> mark) {
        // Marks count from 0; Carnival's locations from 1.
        return mark.map(m -> new Location(origin, m.getLine() + 1, m.getColumn() + 1)).orElse(Location.of(origin));
    }

    private static String describe(MarkedYamlEngineException e) {
        String context = e.getContext();
        String problem = e.getProblem();
        if (context == null || context.isBlank()) {
            return oneLine(problem);
        }
        return oneLine(context + ": " + problem);
    }

    private static String oneLine(String s) {
        return s == null ? "syntax error" : UserText.escape(s.strip().replaceAll("\\s*\\R\\s*", " "), MAX_MESSAGE);
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
