package dev.carnival.runtime.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapturedLinesTest {
    private static final int MAX = CapturedLines.MAX_LINE;

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<Integer> writeSizes = new ArrayList<>();
    private final LineTarget target = (b, off, len) -> {
        written.write(b, off, len);
        writeSizes.add(len);
    };

    private CapturedLines prefix(String name, boolean timestamps, LongSupplier clock) {
        return new CapturedLines(target, new LineFormat.Prefix(name, timestamps), LineTap.NONE,
                new ReplicaId("web", 0), StdStream.STDOUT, clock);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void feed(CapturedLines sink, byte[] data, Random chunks) {
        int i = 0;
        while (i < data.length) {
            int n = Math.min(data.length - i, 1 + chunks.nextInt(chunks.nextBoolean() ? 7 : 3 * MAX));
            sink.write(data, i, n);
            i += n;
        }
    }

    /** What the output must be, whatever the chunking: each line, in pieces of at most MAX bytes. */
    private static byte[] expected(String name, List<byte[]> lines, boolean lastIsPartial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            int pieces = Math.max(1, (line.length + MAX - 1) / MAX);
            for (int p = 0; p < pieces; p++) {
                out.writeBytes(bytes(name + (p == 0 ? " | " : " + ")));
                out.write(line, p * MAX, Math.min(MAX, line.length - p * MAX));
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void outputDoesNotDependOnHowTheInputWasChunked(long seed) {
        Random random = new Random(seed);
        List<byte[]> lines = new ArrayList<>();
        lines.add(new byte[0]);
        lines.add(bytes("plain"));
        lines.add(new byte[] {(byte) 0xff, 0, (byte) 0x80, 'x'});
        for (int size : new int[] {MAX - 1, MAX, MAX + 1, 2 * MAX, 3 * MAX + 17, 16 * MAX}) {
            byte[] line = new byte[size];
            Arrays.fill(line, (byte) ('a' + size % 26));
            lines.add(line);
        }
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            input.writeBytes(line);
            input.write('\n');
        }
        CapturedLines sink = prefix("web[0]", false, () -> 0L);
        feed(sink, input.toByteArray(), random);
        sink.flush();
        assertArrayEquals(expected("web[0]", lines, false), written.toByteArray());
    }

    @Test
    void partialLastLineIsWrittenOnFlushOnly() {
        CapturedLines sink = prefix("w[1]", false, () -> 0L);
        sink.write(bytes("one\ntw"), 0, 6);
        assertEquals("w[1] | one\n", written.toString(StandardCharsets.UTF_8));
        sink.flush();
        assertEquals("w[1] | one\nw[1] | tw\n", written.toString(StandardCharsets.UTF_8));
        sink.write(bytes("o\n"), 0, 2);
        assertEquals("w[1] | one\nw[1] | tw\nw[1] | o\n", written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachReadBecomesOneWriteOfWholeLines() {
        CapturedLines sink = prefix("w[0]", false, () -> 0L);
        sink.write(bytes("a\nb\nc\nd"), 0, 7);
        assertEquals(List.of(27), writeSizes, "three lines in one write, the partial one kept back");
    }

    @Test
    void timestampsComeFirst() {
        CapturedLines sink = prefix("t[0]", true, () -> 0L);
        sink.write(bytes("hi\n"), 0, 3);
        assertEquals("1970-01-01T00:00:00.000Z t[0] | hi\n", written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void memoryStaysBoundedForAnEndlessLine() {
        CapturedLines sink = prefix("x[0]", false, () -> 0L);
        byte[] chunk = new byte[10_000];
        Arrays.fill(chunk, (byte) 'z');
        for (int i = 0; i < 100; i++) {
            sink.write(chunk, 0, chunk.length);
        }
        String out = written.toString(StandardCharsets.UTF_8);
        assertEquals(1_000_000 / MAX, out.lines().count(), "whole pieces are written as soon as they are full");
        assertTrue(out.lines().skip(1).allMatch(l -> l.startsWith("x[0] + ")));
    }
}
