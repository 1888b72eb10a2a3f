package dev.carnival.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineRingTest {
    private static final ReplicaId WEB0 = new ReplicaId("web", 0);
    private static final ReplicaId WEB1 = new ReplicaId("web", 1);

    @Test
    void keepsExactlyTheLastLinesWhateverTheirSizesAcrossWrapsAndGrowth() {
        // Against a plain queue of copies: sizes from empty to 64 KiB make the bytes wrap around
        // the end of the array, grow it while lines are kept, and the slots grow to the capacity.
        Random random = new Random(42);
        for (int capacity : new int[] {1, 3, 64, 100, 1000}) {
            LineRing ring = new LineRing(capacity);
            Deque<BufferedLine> model = new ArrayDeque<>();
            for (int n = 0; n < 5000; n++) {
                int length = switch (random.nextInt(10)) {
                    case 0 -> 0;
                    case 1 -> 65536;
                    case 2 -> 1000 + random.nextInt(5000);
                    default -> random.nextInt(120);
                };
                byte[] source = new byte[length + 10];
                random.nextBytes(source);
                ReplicaId replica = random.nextBoolean() ? WEB0 : WEB1;
                StdStream stream = random.nextBoolean() ? StdStream.STDOUT : StdStream.STDERR;
                boolean continued = random.nextInt(5) == 0;
                ring.store(n, replica, stream, 1000L + n, continued, source, 5, length);
                model.addLast(new BufferedLine(n, replica, stream, 1000L + n, continued,
                        Arrays.copyOfRange(source, 5, 5 + length)));
                if (model.size() > capacity) {
                    model.removeFirst();
                }
                if (n % 97 == 0 || n == 4999) {
                    assertSame(model, ring, capacity + " lines after " + (n + 1) + " stored");
                }
            }
        }
    }

    private static void assertSame(Deque<BufferedLine> model, LineRing ring, String when) {
        assertEquals(model.size(), ring.appended() - ring.oldest(), when + ": how many kept");
        long i = ring.oldest();
        for (BufferedLine expected : model) {
            BufferedLine actual = ring.line(i);
            assertEquals(expected.seq(), actual.seq(), when);
            assertEquals(expected.replica(), ring.replica(i), when);
            assertEquals(expected.replica(), actual.replica(), when);
            assertEquals(expected.stream(), actual.stream(), when);
            assertEquals(expected.millis(), actual.millis(), when);
            assertEquals(expected.continued(), actual.continued(), when);
            assertArrayEquals(expected.bytes(), actual.bytes(), when + ": line " + i);
            i++;
        }
    }

    @Test
    void aRingOfNoLinesKeepsNothing() {
        LineRing ring = new LineRing(0);
        ring.store(0, WEB0, StdStream.STDOUT, 1, false, new byte[] {1, 2}, 0, 2);
        assertEquals(0, ring.appended() - ring.oldest());
    }

    @Test
    void aReloadsResizeKeepsTheNewestLinesThatFitAndStoresOnAsResized() {
        // A model of the kept lines resized at random between stores: shrink, grow, to none and back.
        Random random = new Random(7);
        LineRing ring = new LineRing(10);
        Deque<BufferedLine> model = new ArrayDeque<>();
        int capacity = 10;
        for (int n = 0; n < 3000; n++) {
            if (n % 50 == 0) {
                capacity = random.nextInt(8) == 0 ? 0 : random.nextInt(200);
                ring.resize(capacity);
                while (model.size() > capacity) {
                    model.removeFirst();
                }
                assertEquals(capacity, ring.capacity());
                assertSame(model, ring, "resized to " + capacity + " after " + n + " stored");
            }
            int length = random.nextInt(10) == 0 ? 5000 : random.nextInt(100);
            byte[] source = new byte[length];
            random.nextBytes(source);
            ring.store(n, WEB0, StdStream.STDOUT, n, false, source, 0, length);
            if (capacity > 0) {
                model.addLast(new BufferedLine(n, WEB0, StdStream.STDOUT, n, false, source));
                if (model.size() > capacity) {
                    model.removeFirst();
                }
            }
            assertSame(model, ring, capacity + " lines after " + (n + 1) + " stored");
        }
    }
}
