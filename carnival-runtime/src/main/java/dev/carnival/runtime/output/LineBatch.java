package dev.carnival.runtime.output;

import java.util.Arrays;

/**
 * Lines of one stream that one read brought, handed to a {@link LineTap} at once: line {@code k}
 * is {@code bytes()[start(k) .. start(k) + length(k))}. Lent for the call only.
 */
public final class LineBatch {
    /** The most lines in a batch: a read of many short lines is handed on in parts of this many. */
    static final int MAX = 256;
    private static final int[] NO_INTS = {};
    private static final boolean[] NO_FLAGS = {};

    private byte[] bytes;
    // Grown on demand: a replica that prints a line now and then must not hold MAX of each.
    private int[] starts = NO_INTS;
    private int[] lengths = NO_INTS;
    private boolean[] continued = NO_FLAGS;
    private int count;

    LineBatch() {}

    /** The array every line of the batch is in. */
    public byte[] bytes() {
        return bytes;
    }

    /** How many lines it holds. */
    public int count() {
        return count;
    }

    /** Where line {@code k} begins in {@link #bytes()}. */
    public int start(int k) {
        return starts[k];
    }

    /** Line {@code k}'s length, without its line end. */
    public int length(int k) {
        return lengths[k];
    }

    /** Line {@code k} is a later piece of a line longer than {@link CapturedLines#MAX_LINE}. */
    public boolean continued(int k) {
        return continued[k];
    }

    /** Adds a line; false, adding nothing, when the batch is full or its lines are in another array. */
    boolean add(byte[] from, int start, int length, boolean piece) {
        if (count > 0 && (from != bytes || count == MAX)) {
            return false;
        }
        if (count == starts.length) {
            int size = Math.min(MAX, Math.max(8, 2 * count));
            starts = Arrays.copyOf(starts, size);
            lengths = Arrays.copyOf(lengths, size);
            continued = Arrays.copyOf(continued, size);
        }
        bytes = from;
        starts[count] = start;
        lengths[count] = length;
        continued[count] = piece;
        count++;
        return true;
    }

    void clear() {
        count = 0;
        bytes = null;
    }
}
