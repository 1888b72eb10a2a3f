package dev.carnival.runtime.output;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** How a captured line is written to Carnival's own stdout or stderr: one per {@code output} mode. */
public sealed interface LineFormat {

    /**
     * Appends one whole line (without its line end) to {@code out}, ended by {@code \n}.
     *
     * @param continued it is the second or later piece of a line longer than {@link CapturedLines#MAX_LINE}
     * @param millis    when it was read, epoch milliseconds
     */
    void append(Buffer out, byte[] bytes, int offset, int length, boolean continued, long millis);

    /** {@code output = "raw"}: the line as written. A piece of a long line is a line of its own. */
    LineFormat RAW = new Raw();

    /** Bytes being gathered for one write to the console; given back once large. */
    final class Buffer {
        private static final byte[] NONE = {};
        private byte[] bytes = NONE;
        private int length;

        public byte[] bytes() {
            return bytes;
        }

        public int length() {
            return length;
        }

        public void clear() {
            length = 0;
            if (bytes.length > 1 << 20) {
                bytes = NONE;
            }
        }

        void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(Math.max(bytes.length * 2, 256), length + more));
            }
        }

        public void put(byte[] b, int offset, int n) {
            ensure(n);
            System.arraycopy(b, offset, bytes, length, n);
            length += n;
        }

        void put(byte b) {
            ensure(1);
            bytes[length++] = b;
        }
    }

    /** See {@link #RAW}. */
    final class Raw implements LineFormat {
        private Raw() {}

        @Override
        public void append(Buffer out, byte[] bytes, int offset, int length, boolean continued, long millis) {
            out.ensure(length + 1);
            out.put(bytes, offset, length);
            out.put((byte) '\n');
        }
    }

    /**
     * {@code output = "prefix"}: {@code web[0] | line}, optionally after a UTC timestamp; a piece
     * after the first of a long line has {@code +} for {@code |}.
     */
    final class Prefix implements LineFormat {
        // What goes before a first piece and before a later one, each after the stamp when there is
        // one: its bytes change at most once a millisecond, and only here.
        private final byte[] prefix;
        private final byte[] continuation;
        private final UtcStamp stamp;
        private long stampMillis = Long.MIN_VALUE;

        /**
         * One per stream when {@code timestamps}: the stamp it keeps is not shared.
         *
         * @param name what goes before the separator, e.g. {@code web[0]}
         */
        public Prefix(String name, boolean timestamps) {
            String before = timestamps ? " ".repeat(UtcStamp.LENGTH + 1) : "";
            this.prefix = (before + name + " | ").getBytes(StandardCharsets.UTF_8);
            this.continuation = (before + name + " + ").getBytes(StandardCharsets.UTF_8);
            this.stamp = timestamps ? new UtcStamp() : null;
        }

        @Override
        public void append(Buffer out, byte[] bytes, int offset, int length, boolean continued, long millis) {
            if (stamp != null && millis != stampMillis) {
                byte[] text = stamp.format(millis);
                System.arraycopy(text, 0, prefix, 0, UtcStamp.LENGTH);
                System.arraycopy(text, 0, continuation, 0, UtcStamp.LENGTH);
                stampMillis = millis;
            }
            byte[] head = continued ? continuation : prefix;
            out.ensure(head.length + length + 1);
            out.put(head, 0, head.length);
            out.put(bytes, offset, length);
            out.put((byte) '\n');
        }
    }

    /**
     * {@code output = "json"}: {@code {"time":"...","service":"web","replica":0,"stream":"stdout",
     * "line":"..."}}, and {@code "continued":true} on a piece after the first of a long line. The
     * line is escaped as JSON requires; well-formed UTF-8 passes as it is, and each byte that is not
     * part of well-formed UTF-8 is written as {@code \}{@code udcXX} (XX its value), as Python's
     * {@code surrogateescape} does: decoding the line with it gives back the bytes exactly.
     */
    final class Json implements LineFormat {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TIME = "{\"time\":\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END = "\"}\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END_CONTINUED = "\",\"continued\":true}\n".getBytes(StandardCharsets.US_ASCII);
        /** Everything before the line: its time changes at most once a millisecond, the rest never. */
        private final byte[] head;
        private long headMillis = Long.MIN_VALUE;
        private final UtcStamp stamp = new UtcStamp();

        /** One per stream: the head it keeps is not shared. */
        public Json(ReplicaId replica, StdStream stream) {
            Buffer b = new Buffer();
            b.put(TIME, 0, TIME.length);
            b.put(new byte[UtcStamp.LENGTH], 0, UtcStamp.LENGTH);
            put(b, "\",\"service\":\"");
            byte[] name = replica.service().getBytes(StandardCharsets.UTF_8);
            escape(b, name, 0, name.length);
            put(b, "\",\"replica\":" + replica.index() + ",\"stream\":\"" + stream.id() + "\",\"line\":\"");
            this.head = Arrays.copyOf(b.bytes(), b.length());
        }

        private static void put(Buffer b, String ascii) {
            byte[] bytes = ascii.getBytes(StandardCharsets.US_ASCII);
            b.put(bytes, 0, bytes.length);
        }

        @Override
        public void append(Buffer out, byte[] bytes, int offset, int length, boolean continued, long millis) {
            if (millis != headMillis) {
                System.arraycopy(stamp.format(millis), 0, head, TIME.length, UtcStamp.LENGTH);
                headMillis = millis;
            }
            byte[] end = continued ? END_CONTINUED : END;
            out.ensure(head.length + length + end.length);
            out.put(head, 0, head.length);
            escape(out, bytes, offset, length);
            out.put(end, 0, end.length);
        }

        /** Appends {@code bytes} as the inside of a JSON string. */
        static void escape(Buffer out, byte[] bytes, int offset, int length) {
            int end = offset + length;
            int run = offset; // start of bytes that pass as they are, not yet copied
            int i = offset;
            while ((i = ByteScan.special(bytes, i, end)) < end) {
                int b = bytes[i] & 0xff;
                if (b >= 0x80) {
                    int n = wellFormed(bytes, i, end);
                    if (n > 0) {
                        i += n;
                        continue;
                    }
                }
                out.put(bytes, run, i - run);
                switch (b) {
                    case '"' -> escaped(out, '"');
                    case '\\' -> escaped(out, '\\');
                    case '\t' -> escaped(out, 't');
                    case '\r' -> escaped(out, 'r');
                    case '\n' -> escaped(out, 'n');
                    case '\b' -> escaped(out, 'b');
                    case '\f' -> escaped(out, 'f');
                    default -> unicode(out, b < 0x80 ? b : 0xdc00 | b);
                }
                i++;
                run = i;
            }
            out.put(bytes, run, end - run);
        }

        private static void escaped(Buffer out, char c) {
            out.put((byte) '\\');
            out.put((byte) c);
        }

        private static void unicode(Buffer out, int c) {
            out.ensure(6);
            out.put((byte) '\\');
            out.put((byte) 'u');
            out.put(HEX[c >> 12 & 0xf]);
            out.put(HEX[c >> 8 & 0xf]);
            out.put(HEX[c >> 4 & 0xf]);
            out.put(HEX[c & 0xf]);
        }

        /**
         * The length of the well-formed UTF-8 sequence at {@code i} (RFC 3629: no overlong forms, no
         * surrogates, nothing above U+10FFFF), or 0 when the byte there does not begin one.
         */
        static int wellFormed(byte[] bytes, int i, int end) {
            int b = bytes[i] & 0xff;
            int n;
            int lo = 0x80;
            int hi = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                n = 2;
            } else if (b >= 0xe0 && b <= 0xef) {
                n = 3;
                lo = b == 0xe0 ? 0xa0 : 0x80;
                hi = b == 0xed ? 0x9f : 0xbf;
            } else if (b >= 0xf0 && b <= 0xf4) {
                n = 4;
                lo = b == 0xf0 ? 0x90 : 0x80;
                hi = b == 0xf4 ? 0x8f : 0xbf;
            } else {
                return 0;
            }
            if (i + n > end) {
                return 0;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < lo || second > hi) {
                return 0;
            }
            for (int k = 2; k < n; k++) {
                int c = bytes[i + k] & 0xff;
                if (c < 0x80 || c > 0xbf) {
                    return 0;
                }
            }
            return n;
        }
    }
}
