package dev.carnival.runtime.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineFormatTest {
    private static final int MAX = CapturedLines.MAX_LINE;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ReplicaId WEB = new ReplicaId("web \"1\"", 3);

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final LineTarget target = written::write;

    private CapturedLines sink(LineFormat format, LineTap tap) {
        return new CapturedLines(target, format, tap, WEB, StdStream.STDERR, () -> 1_796_605_323_456L);
    }

    /** One JSON object's fields, strings and numbers as Jackson reads them. */
    private static Map<String, Object> parse(String line) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                fields.put(name, switch (value) {
                    case VALUE_NUMBER_INT -> p.getLongValue();
                    case VALUE_TRUE -> true;
                    default -> p.getText();
                });
            }
            assertEquals(null, p.nextToken(), "one object per line");
        }
        return fields;
    }

    /** Python's surrogateescape: U+DC80..U+DCFF are the bytes that were not UTF-8. */
    private static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c >= 0xdc80 && c <= 0xdcff) {
                out.write(c & 0xff);
            } else {
                out.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(c);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rawWritesEachLineAsItCameAndALongOneAsLinesOfMaxBytes() {
        CapturedLines raw = sink(LineFormat.RAW, LineTap.NONE);
        byte[] odd = {'a', (byte) 0xff, '\r', 0, 'b', '\n'};
        raw.write(odd, 0, odd.length);
        assertArrayEquals(odd, written.toByteArray());
        written.reset();
        byte[] longLine = new byte[MAX + 5];
        Arrays.fill(longLine, (byte) 'x');
        raw.write(longLine, 0, longLine.length);
        raw.flush();
        List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(MAX, 5), lines.stream().map(String::length).toList());
    }

    @Test
    void jsonHasTheFieldsOfTheIssue() throws IOException {
        CapturedLines json = sink(new LineFormat.Json(WEB, StdStream.STDERR), LineTap.NONE);
        json.write(bytes("hello \"you\" \\ \t tab ünïcødé 😀\n"), 0, bytes("hello \"you\" \\ \t tab ünïcødé 😀\n").length);
        String line = written.toString(StandardCharsets.UTF_8);
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        assertEquals(Map.of("time", "2026-12-07T01:02:03.456Z", "service", "web \"1\"", "replica", 3L,
                "stream", "stderr", "line", "hello \"you\" \\ \t tab ünïcødé 😀"), parse(line));
        assertEquals(List.of("time", "service", "replica", "stream", "line"), List.copyOf(parse(line).keySet()));
    }

    @Test
    void jsonMarksThePiecesOfALongLine() throws IOException {
        CapturedLines json = sink(new LineFormat.Json(WEB, StdStream.STDOUT), LineTap.NONE);
        byte[] longLine = new byte[2 * MAX + 1];
        Arrays.fill(longLine, (byte) 'y');
        longLine[longLine.length - 1] = '\n';
        json.write(longLine, 0, longLine.length);
        List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        assertFalse(parse(lines.get(0)).containsKey("continued"));
        assertEquals(true, parse(lines.get(1)).get("continued"));
        assertEquals(MAX, ((String) parse(lines.get(1)).get("line")).length());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 99, 2026})
    void jsonEscapesAnyBytesLosslessly(long seed) throws IOException {
        Random random = new Random(seed);
        List<byte[]> lines = new ArrayList<>();
        lines.add(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}); // an encoded surrogate: not UTF-8
        lines.add(new byte[] {(byte) 0xc0, (byte) 0xaf}); // overlong
        lines.add(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // above U+10FFFF
        lines.add(new byte[] {(byte) 0xe2, (byte) 0x82}); // cut short
        lines.add(bytes("\\udc80 is text, not an escape"));
        for (int i = 0; i < 200; i++) {
            byte[] line = new byte[random.nextInt(40)];
            random.nextBytes(line);
            for (int k = 0; k < line.length; k++) {
                if (line[k] == '\n') {
                    line[k] = ' ';
                }
            }
            lines.add(line);
        }
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        lines.forEach(l -> {
            input.writeBytes(l);
            input.write('\n');
        });
        CapturedLines json = sink(new LineFormat.Json(WEB, StdStream.STDOUT), LineTap.NONE);
        json.write(input.toByteArray(), 0, input.size());
        List<String> out = written.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(lines.size(), out.size());
        for (int i = 0; i < lines.size(); i++) {
            assertArrayEquals(lines.get(i), unescape((String) parse(out.get(i)).get("line")), out.get(i));
        }
    }

    @Test
    void theTapSeesEveryLineWithItsReplicaStreamTimeAndPiece() {
        List<String> seen = new ArrayList<>();
        LineTap tap = (r, s, b, o, l, m, c) -> seen.add(r + " " + s.id() + " " + m + " " + c + " "
                + new String(b, o, l, StandardCharsets.UTF_8));
        CapturedLines sink = new CapturedLines(null, LineFormat.RAW, tap, WEB, StdStream.STDOUT, () -> 5L);
        byte[] longLine = new byte[MAX + 1];
        Arrays.fill(longLine, (byte) 'z');
        sink.write(bytes("one\ntw"), 0, 6);
        sink.flush();
        sink.write(longLine, 0, longLine.length);
        sink.flush();
        assertEquals(List.of("web \"1\"[3] stdout 5 false one", "web \"1\"[3] stdout 5 false tw",
                "web \"1\"[3] stdout 5 false " + "z".repeat(MAX), "web \"1\"[3] stdout 5 true z"), seen);
        assertEquals(0, written.size(), "no console: the tap only");
    }

    /** A tap gets each write's lines in batches: in order, whole, a line joined across reads included. */
    @Test
    void theTapGetsTheLinesOfAWriteTogether() {
        List<String> batches = new ArrayList<>();
        LineTap tap = new LineTap() {
            @Override
            public void line(ReplicaId r, StdStream s, byte[] b, int o, int l, long m, boolean c) {
                throw new AssertionError("lines come in batches");
            }

            @Override
            public void lines(ReplicaId r, StdStream s, LineBatch batch, long m) {
                StringBuilder text = new StringBuilder();
                for (int k = 0; k < batch.count(); k++) {
                    text.append(k == 0 ? "" : ",").append(batch.continued(k) ? "+" : "")
                            .append(new String(batch.bytes(), batch.start(k), batch.length(k), StandardCharsets.UTF_8));
                }
                batches.add(text.toString());
            }
        };
        CapturedLines sink = new CapturedLines(target, LineFormat.RAW, tap, WEB, StdStream.STDOUT, () -> 5L);
        sink.write(bytes("a\nb\nc"), 0, 5);
        sink.write(bytes("d\ne\nf"), 0, 5); // the joined line first, then the others: two arrays
        byte[] many = bytes("x\n".repeat(LineBatch.MAX + 2) + "lo"); // the joined one, a full batch, one more
        sink.write(many, 0, many.length);
        byte[] longLine = new byte[MAX + 3];
        Arrays.fill(longLine, (byte) 'z');
        longLine[0] = 'n';
        longLine[MAX + 2] = '\n';
        sink.write(longLine, 0, longLine.length);
        sink.flush();
        String xs = String.join(",", Collections.nCopies(LineBatch.MAX, "x"));
        assertEquals(List.of("a,b", "cd", "e", "fx", xs, "x", "lon" + "z".repeat(MAX - 3), "+zzzz"), batches);
        assertEquals("a\nb\ncd\ne\nfx\n" + "x\n".repeat(LineBatch.MAX + 1) + "lon" + "z".repeat(MAX - 3) + "\nzzzz\n",
                written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theModeChoosesTheFormat() {
        CapturedLines.of(OutputMode.JSON, false, target, LineTap.NONE, WEB, StdStream.STDOUT).write(bytes("a\n"), 0, 2);
        assertTrue(written.toString(StandardCharsets.UTF_8).startsWith("{\"time\":\""));
        written.reset();
        CapturedLines.of(OutputMode.RAW, true, target, LineTap.NONE, WEB, StdStream.STDOUT).write(bytes("a\n"), 0, 2);
        assertEquals("a\n", written.toString(StandardCharsets.UTF_8));
        written.reset();
        CapturedLines.of(OutputMode.PREFIX, false, target, LineTap.NONE, WEB, StdStream.STDOUT).write(bytes("a\n"), 0, 2);
        assertEquals("web \"1\"[3] | a\n", written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachLineHasTheTimeOfTheReadThatBroughtIt() throws IOException {
        long[] now = {1_796_605_323_456L};
        CapturedLines json = new CapturedLines(target, new LineFormat.Json(WEB, StdStream.STDOUT), LineTap.NONE, WEB,
                StdStream.STDOUT, () -> now[0]);
        CapturedLines prefix = new CapturedLines(target, new LineFormat.Prefix("p[0]", true), LineTap.NONE, WEB,
                StdStream.STDOUT, () -> now[0]);
        List<String> times = new ArrayList<>();
        for (long millis : new long[] {1_796_605_323_456L, 1_796_605_323_457L, 1_796_605_324_001L, 0L}) {
            now[0] = millis;
            json.write(bytes("a\nb\n"), 0, 4);
            prefix.write(bytes("c\n"), 0, 2);
            prefix.write(bytes("d".repeat(MAX + 1) + "\n"), 0, MAX + 2); // a first piece, then a continued one
        }
        for (String line : written.toString(StandardCharsets.UTF_8).lines().toList()) {
            times.add(line.startsWith("{") ? (String) parse(line).get("time") : line.substring(0, line.indexOf(' ')));
        }
        String t1 = "2026-12-07T01:02:03.456Z";
        String t2 = "2026-12-07T01:02:03.457Z";
        String t3 = "2026-12-07T01:02:04.001Z";
        String t4 = "1970-01-01T00:00:00.000Z";
        assertEquals(List.of(t1, t1, t1, t1, t1, t2, t2, t2, t2, t2, t3, t3, t3, t3, t3, t4, t4, t4, t4, t4), times);
        assertTrue(written.toString(StandardCharsets.UTF_8).contains(t4 + " p[0] + d\n"), "the continuation keeps its mark");
    }

    @Test
    void stampsAreUtcWithMilliseconds() {
        UtcStamp stamp = new UtcStamp();
        assertEquals("1970-01-01T00:00:00.000Z", new String(stamp.format(0), StandardCharsets.US_ASCII));
        assertEquals("2026-12-07T01:02:03.456Z", new String(stamp.format(1_796_605_323_456L), StandardCharsets.US_ASCII));
        assertEquals("2026-12-07T01:02:03.007Z", new String(stamp.format(1_796_605_323_007L), StandardCharsets.US_ASCII));
        assertEquals("1969-12-31T23:59:59.999Z", new String(stamp.format(-1), StandardCharsets.US_ASCII));
    }
}
