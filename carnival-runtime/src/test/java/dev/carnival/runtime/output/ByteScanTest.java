package dev.carnival.runtime.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteScanTest {
    private static int newlineByteByByte(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int specialByteByByte(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                return i;
            }
        }
        return to;
    }

    @Test
    void everyByteValueAtEveryPlaceOfAWordAndTheTail() {
        for (int length = 0; length <= 19; length++) {
            for (int at = 0; at < length; at++) {
                for (int value = 0; value < 256; value++) {
                    byte[] b = new byte[length + 2];
                    Arrays.fill(b, (byte) 'a');
                    b[1 + at] = (byte) value;
                    String where = "byte " + value + " at " + at + " of " + length;
                    assertEquals(newlineByteByByte(b, 1, 1 + length), ByteScan.newline(b, 1, 1 + length), where);
                    assertEquals(specialByteByByte(b, 1, 1 + length), ByteScan.special(b, 1, 1 + length), where);
                }
            }
        }
    }

    /** Matches next to each other, so that one's borrow runs into the next: the first still wins. */
    @Test
    void randomBytesFindTheFirstMatch() {
        Random random = new Random(26);
        byte[] alphabet = {'\n', 0, 0x1f, 0x20, 0x21, '"', 0x23, '\\', 0x5b, 0x5d, 0x7f, (byte) 0x80, (byte) 0xa0, (byte) 0xff, 'x'};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + random.nextInt(26));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            for (int i = from; i <= b.length; i++) {
                assertEquals(newlineByteByByte(b, i, b.length), ByteScan.newline(b, i, b.length));
                assertEquals(specialByteByByte(b, i, b.length), ByteScan.special(b, i, b.length));
            }
        }
    }
}
