package dev.carnival.dist;

import static dev.carnival.dist.CarnivalProcess.runConfig;
import static dev.carnival.dist.CarnivalProcess.startConfig;
import static dev.carnival.dist.ImageHarness.jdkProcessControl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** output = "prefix": every line whole, prefixed, in the right stream, nothing lost. */
@Tag(ImageHarness.JDK_FALLBACK)
class OutputIT {
    @TempDir
    Path dir;

    /** Warnings only: the log must not mix with what the tests read from stderr. */
    private static final String[] QUIET = {"-l", "warn"};

    @Test
    void prefixedLinesGoToTheMatchingStreamAndInheritStaysUntouched() {
        try (CarnivalProcess c = runConfig(dir, """
                [global]
                output = "prefix"
                [[service]]
                name = "web"
                command = "sh"
                args = ["-c", "echo out-$CARNIVAL_REPLICA_ID; echo err-$CARNIVAL_REPLICA_ID >&2"]
                replicas = 2
                [[service]]
                name = "plain"
                command = "echo"
                args = ["untouched"]
                output = "inherit"
                """, QUIET)) {
            assertEquals(0, c.exitCode(), c.stderr());
            List<String> out = c.stdout().lines().sorted().toList();
            assertEquals(List.of("untouched", "web[0] | out-0", "web[1] | out-1"), out);
            assertEquals(List.of("web[0] | err-0", "web[1] | err-1"), c.stderr().lines().sorted().toList());
        }
    }

    @Test
    void aThousandPrefixedReplicasFitTheSupervisorsHeap() {
        // Each stream's line buffer is allocated on demand: at 72 KiB up front per stream, 1000
        // replicas needed 144 MiB of the launcher's 64 MiB heap and died at start.
        assumeTrue(!jdkProcessControl(),
                "the JDK fallback reads each pipe with a blocking read on a virtual thread; past 256 carriers it stalls");
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "many"
                command = "sh"
                args = ["-c", "echo up-$CARNIVAL_REPLICA_ID; exec sleep 1000"]
                replicas = 1000
                output = "prefix"
                """, QUIET)) {
            Await.until(() -> "1000 lines, got " + c.stdout().lines().count() + "; stderr: " + c.stderr(),
                    () -> c.stdout().lines().count() == 1000 || !c.isAlive());
            assertEquals(1000, c.stdout().lines().filter(l -> l.matches("many\\[(\\d+)\\] \\| up-\\1")).count(), c.stdout());
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
        }
    }

    @Test
    void bytesThatAreNotUtf8PassThroughUnchanged() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "bin"
                command = "printf"
                args = ['\\377\\376\\000raw\\200\\n']
                output = "prefix"
                """, QUIET)) {
            assertEquals(0, c.exitCode(), c.stderr());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes("bin[0] | ".getBytes(StandardCharsets.US_ASCII));
            expected.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 'r', 'a', 'w', (byte) 0x80, '\n'});
            assertArrayEquals(expected.toByteArray(), c.stdoutBytes());
        }
    }

    @Test
    void aPartialLastLineIsFlushedWhenTheProcessDies() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "dying"
                command = "sh"
                args = ["-c", "printf 'first\\nhalf a li'; kill -KILL $$"]
                output = "prefix"
                """, QUIET)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertEquals("dying[0] | first\ndying[0] | half a li\n", c.stdout());
        }
    }

    @Test
    void aOneMebibyteLineIsSplitWithAMarkerAndNothingIsLost() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "long"
                command = "sh"
                args = ["-c", "head -c 1048576 /dev/zero | tr '\\\\0' a; echo; echo after"]
                output = "prefix"
                """, QUIET)) {
            assertEquals(0, c.exitCode(), c.stderr());
            List<String> lines = c.stdout().lines().toList();
            assertEquals(17, lines.size(), "16 pieces of 64 KiB and the next line");
            assertEquals("long[0] | " + "a".repeat(65536), lines.getFirst());
            for (String piece : lines.subList(1, 16)) {
                assertEquals("long[0] + " + "a".repeat(65536), piece);
            }
            assertEquals("long[0] | after", lines.get(16));
        }
    }

    @Test
    void linesFromManyReplicasNeverInterleave() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "w"
                command = "sh"
                args = ["-c", "i=0; while [ $i -lt 3000 ]; do echo $CARNIVAL_REPLICA_ID-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done"]
                replicas = 4
                output = "prefix"
                """, QUIET)) {
            assertEquals(0, c.exitCode(), c.stderr());
            Pattern whole = Pattern.compile("w\\[(\\d)] \\| \\1-(\\d+)-x{90}");
            List<String> lines = c.stdout().lines().toList();
            assertEquals(12000, lines.size());
            for (String line : lines) {
                assertTrue(whole.matcher(line).matches(), "torn or interleaved line: " + line);
            }
        }
    }

    @Test
    void aServiceFloodingOutputDuringShutdownLeavesOnlyWholeLines() throws Exception {
        // yes ignores SIGTERM here, so it floods all through the stop timeout until SIGKILL.
        try (CarnivalProcess c = startConfig(dir, """
                [[service]]
                name = "flood"
                command = "sh"
                args = ["-c", "trap '' TERM; touch started; exec yes flooding-the-console"]
                output = "prefix"
                stop-timeout-ms = 200
                """, QUIET)) {
            Await.until("flood started", () -> dir.resolve("started").toFile().exists() && c.stdoutSize() > 100_000);
            c.signal("TERM");
            assertEquals(0, c.exitCode(), c.stderr());
            // Streamed: the file can be large, and bytes are compared as they are (ISO-8859-1).
            String whole = "flood[0] | flooding-the-console";
            long count = 0;
            String previous = null;
            try (BufferedReader lines = Files.newBufferedReader(c.stdoutPath(), StandardCharsets.ISO_8859_1)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (previous != null) {
                        assertEquals(whole, previous, "line " + count + " is torn");
                    }
                    previous = line;
                    count++;
                }
            }
            assertTrue(count > 1000, "flood reached the console: " + count + " lines");
            // yes may die in the middle of a write: its last, partial line is flushed as it was written.
            assertTrue(previous.startsWith("flood[0] | ") && whole.startsWith(previous), previous);
            assertEquals('\n', lastByte(c.stdoutPath()), "output ends with a line end");
        }
    }

    private static int lastByte(Path file) throws java.io.IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            channel.read(b, channel.size() - 1);
            return b.get(0);
        }
    }

    @Test
    void timestampsWhenAsked() {
        try (CarnivalProcess c = runConfig(dir, """
                [global]
                output = "prefix"
                output-timestamps = true
                [[service]]
                name = "t"
                command = "echo"
                args = ["hello"]
                """, QUIET)) {
            assertEquals(0, c.exitCode(), c.stderr());
            assertTrue(c.stdout().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z t\\[0] \\| hello\\n"), c.stdout());
        }
    }

    @Test
    void unknownOutputModeIsAConfigError() {
        try (CarnivalProcess c = runConfig(dir, """
                [[service]]
                name = "t"
                command = "true"
                output = "syslog"
                """, QUIET)) {
            assertEquals(2, c.exitCode());
            assertEquals("carnival: c.toml:4:1: 'output' in [[service]] 't' must be \"inherit\", \"prefix\", \"raw\" or \"json\", got 'syslog'",
                    c.stderr().strip());
        }
    }
}
