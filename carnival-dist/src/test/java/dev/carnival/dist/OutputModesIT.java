package dev.carnival.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** output = "raw" and "json" through the real command; [global] log-format = "json". */
class OutputModesIT {
    @TempDir
    Path dir;

    /** Prints a plain line, a line with bytes that are not UTF-8, and a line of 70000 bytes. */
    private static final String WRITER = "printf 'plain %s\\n' $CARNIVAL_REPLICA_ID; printf 'bad \\377\\376 bytes\\n';"
            + " head -c 70000 /dev/zero | tr '\\0' x; echo; echo to-err >&2";

    private static final Map<String, String> CONFIGS = Map.of("toml", """
            [global]
            log-format = "json"
            [[service]]
            name = "r"
            command = "sh"
            args = ["-c", "%1$s"]
            output = "raw"
            [[service]]
            name = "j"
            command = "sh"
            args = ["-c", "%1$s"]
            output = "json"
            """.formatted(WRITER.replace("\\", "\\\\")), "yaml", """
            global:
              log-format: json
            service:
              - name: r
                command: sh
                args: ["-c", "%1$s"]
                output: raw
              - name: j
                command: sh
                args: ["-c", "%1$s"]
                output: json
            """.formatted(WRITER.replace("\\", "\\\\")));

    @ParameterizedTest
    @ValueSource(strings = {"toml", "yaml"})
    void rawIsTheLinesAsWrittenAndJsonOneObjectPerLineLosslessly(String format) throws IOException {
        Configs.write(dir, "c." + format, CONFIGS.get(format));
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c." + format)) {
            assertEquals(0, c.exitCode(), c.stderr());
            byte[] bad = {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, ' ', 'b', 'y', 't', 'e', 's'};
            List<byte[]> raw = new ArrayList<>();
            List<Map<String, Object>> json = new ArrayList<>();
            for (byte[] line : lines(c.stdoutBytes())) {
                if (line.length > 0 && line[0] == '{') {
                    json.add(parse(line));
                } else {
                    raw.add(line);
                }
            }
            byte[] x64k = new byte[64 * 1024];
            Arrays.fill(x64k, (byte) 'x');
            byte[] rest = new byte[70000 - 64 * 1024];
            Arrays.fill(rest, (byte) 'x');
            assertEquals(4, raw.size(), "raw: plain, bad, and the long line in two pieces");
            assertArrayEquals("plain 0".getBytes(StandardCharsets.US_ASCII), raw.get(0));
            assertArrayEquals(bad, raw.get(1));
            assertArrayEquals(x64k, raw.get(2));
            assertArrayEquals(rest, raw.get(3));

            assertEquals(4, json.size(), "json: plain, bad, the long line in two pieces: " + json);
            for (Map<String, Object> j : json) {
                assertEquals(List.of("time", "service", "replica", "stream", "line"),
                        j.keySet().stream().filter(k -> !k.equals("continued")).toList());
                assertEquals("j", j.get("service"));
                assertEquals(0L, j.get("replica"));
                assertEquals("stdout", j.get("stream"));
                assertTrue(((String) j.get("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), j.toString());
            }
            assertEquals("plain 0", json.get(0).get("line"));
            assertArrayEquals(bad, surrogateEscaped((String) json.get(1).get("line")), "lossless");
            assertEquals(new String(x64k, StandardCharsets.US_ASCII), json.get(2).get("line"));
            assertEquals(true, json.get(3).get("continued"));
            assertEquals(new String(rest, StandardCharsets.US_ASCII), json.get(3).get("line"));

            // stderr: the json service's line as an object on stderr, raw's as it is, the log as JSON objects.
            List<String> err = c.stderr().lines().toList();
            assertTrue(err.contains("to-err"), c.stderr());
            List<Map<String, Object>> objects = err.stream().filter(l -> l.startsWith("{"))
                    .map(l -> parse(l.getBytes(StandardCharsets.UTF_8))).toList();
            assertTrue(objects.stream().anyMatch(o -> "stderr".equals(o.get("stream")) && "to-err".equals(o.get("line"))),
                    c.stderr());
            Map<String, Object> started = objects.stream().filter(o -> "process-started".equals(o.get("event"))
                    && "j".equals(o.get("service"))).findFirst().orElseThrow(() -> new AssertionError(c.stderr()));
            assertEquals("INFO", started.get("level"));
            assertEquals(0L, started.get("replica"));
            assertTrue(started.get("pid") instanceof Long, started.toString());
            assertTrue(((String) started.get("message")).startsWith("j[0] started with PID "), started.toString());
            Map<String, Object> exited = objects.stream().filter(o -> "process-exited".equals(o.get("event"))
                    && "j".equals(o.get("service"))).findFirst().orElseThrow(() -> new AssertionError(c.stderr()));
            assertEquals(0L, exited.get("code"));
            assertTrue(err.stream().filter(l -> !l.equals("to-err")).allMatch(l -> l.startsWith("{")),
                    "every line of the log is JSON:\n" + c.stderr());
        }
    }

    @Test
    void aLogLineReadinessOrdersADependent() {
        Configs.write(dir, "c.yaml", """
                service:
                  - name: db
                    command: sh
                    args: ["-c", "echo booting; sleep 1; echo accepting connections; exec sleep 100"]
                    output: raw
                    readiness: { log-line: "^accepting connections$" }
                  - name: web
                    command: sh
                    args: ["-c", "echo web up"]
                    output: raw
                    depends-on: [db]
                    critical: true
                """);
        try (CarnivalProcess c = CarnivalProcess.run(dir, "-c", "c.yaml")) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals(List.of("booting", "accepting connections", "web up"), c.stdout().lines().toList());
            String log = c.stderr();
            int ready = log.indexOf("db[0] is ready");
            int webStarted = log.indexOf("web[0] started with PID");
            assertTrue(ready >= 0 && webStarted > ready, log);
        }
    }

    private static List<byte[]> lines(byte[] all) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    private static Map<String, Object> parse(byte[] line) {
        Map<String, Object> fields = new LinkedHashMap<>();
        try (JsonParser p = Control.JSON.createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken(), new String(line, StandardCharsets.UTF_8));
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                fields.put(name, switch (t) {
                    case VALUE_NUMBER_INT -> p.getLongValue();
                    case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
                    default -> p.getText();
                });
            }
            assertEquals(null, p.nextToken(), "one object per line");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields;
    }

    /** Python's surrogateescape, decoding: U+DC80..U+DCFF alone are the bytes that were not UTF-8. */
    static byte[] surrogateEscaped(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.codePoints().forEach(c -> {
            if (c >= 0xdc80 && c <= 0xdcff) {
                out.write(c & 0xff);
            } else {
                out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }
}
