package dev.carnival.runtime.logs;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.output.StdStream;

/**
 * One service's last lines, held in arrays that are reused as lines come and go rather than an
 * object per line: a buffer that keeps a line for minutes would otherwise move every line into
 * the old generation, where it dies, and the heap of a supervisor with a chatty service would
 * grow until a full collection. The bytes sit back to back in a circular array that grows (to
 * fit the largest set of lines held at once) and never shrinks; the per-line arrays grow up to
 * the capacity. Not thread-safe: {@link LogBuffers} holds its lock around every call.
 */
final class LineRing {
    private static final int FIRST_SLOTS = 64;
    private static final int FIRST_BYTES = 4096;
    private static final int MAX_BYTES = Integer.MAX_VALUE - 16;
    private static final byte STDERR = 1;
    private static final byte CONTINUED = 2;

    /** Changed only by a reload's {@link #resize}, under the lock; read without it to skip a buffer of no lines. */
    private volatile int capacity;
    private long[] seqs = new long[0];
    private long[] millis = new long[0];
    private ReplicaId[] replicas = new ReplicaId[0];
    private int[] starts = new int[0];
    private int[] lengths = new int[0];
    private byte[] flags = new byte[0];
    private byte[] data = new byte[0];
    /** Where the next line's bytes go in {@link #data}. */
    private int head;
    /** Bytes held by the lines kept. */
    private long used;
    /** The index of the oldest line kept, and of the next line: lines {@code [first, appended)} are kept. */
    private long first;
    private long appended;

    LineRing(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    long oldest() {
        return first;
    }

    long appended() {
        return appended;
    }

    void store(long seq, ReplicaId replica, StdStream stream, long when, boolean continued,
               byte[] bytes, int offset, int length) {
        if (capacity == 0) {
            return;
        }
        if (appended - first == capacity) {
            evictOldest();
        }
        if (appended - first == seqs.length) {
            growSlots();
        }
        if (data.length - used < length && data.length < MAX_BYTES) {
            growBytes(Math.min(used + length, MAX_BYTES));
        }
        while (data.length - used < length) {
            evictOldest(); // lines that together pass 2 GiB: keep fewer of them rather than fail
        }
        int slot = slot(appended);
        seqs[slot] = seq;
        millis[slot] = when;
        replicas[slot] = replica;
        flags[slot] = (byte) ((stream == StdStream.STDERR ? STDERR : 0) | (continued ? CONTINUED : 0));
        starts[slot] = head;
        lengths[slot] = length;
        int toEnd = Math.min(length, data.length - head);
        System.arraycopy(bytes, offset, data, head, toEnd);
        System.arraycopy(bytes, offset + toEnd, data, 0, length - toEnd);
        head = data.length == 0 ? 0 : (head + length) % data.length;
        used += length;
        appended++;
    }

    ReplicaId replica(long index) {
        return replicas[slot(index)];
    }

    /** A copy of the line at {@code index}, which must be kept. */
    BufferedLine line(long index) {
        int slot = slot(index);
        byte[] bytes = new byte[lengths[slot]];
        copyOut(starts[slot], lengths[slot], bytes, 0);
        return new BufferedLine(seqs[slot], replicas[slot], (flags[slot] & STDERR) != 0 ? StdStream.STDERR : StdStream.STDOUT,
                millis[slot], (flags[slot] & CONTINUED) != 0, bytes);
    }

    private int slot(long index) {
        return (int) (index % seqs.length);
    }

    private void evictOldest() {
        int slot = slot(first);
        used -= lengths[slot];
        replicas[slot] = null;
        first++;
    }

    private void copyOut(int start, int length, byte[] into, int at) {
        int toEnd = Math.min(length, data.length - start);
        System.arraycopy(data, start, into, at, toEnd);
        System.arraycopy(data, 0, into, at + toEnd, length - toEnd);
    }

    /** A reload's {@code log-buffer-lines}: keeps the newest lines that fit in {@code lines}. */
    void resize(int lines) {
        while (appended - first > lines) {
            evictOldest();
        }
        capacity = lines;
        if (seqs.length > lines) {
            reslot(lines);
        }
        if (lines == 0) {
            data = new byte[0];
            head = 0;
        }
    }

    private void growSlots() {
        reslot((int) Math.min(capacity, Math.max(FIRST_SLOTS, 2L * seqs.length)));
    }

    /** Lays the kept lines out again in per-line arrays of {@code size} slots, at least as many as are kept. */
    private void reslot(int size) {
        long[] newSeqs = new long[size];
        long[] newMillis = new long[size];
        ReplicaId[] newReplicas = new ReplicaId[size];
        int[] newStarts = new int[size];
        int[] newLengths = new int[size];
        byte[] newFlags = new byte[size];
        for (long i = first; i < appended; i++) {
            int from = slot(i);
            int to = (int) (i % size);
            newSeqs[to] = seqs[from];
            newMillis[to] = millis[from];
            newReplicas[to] = replicas[from];
            newStarts[to] = starts[from];
            newLengths[to] = lengths[from];
            newFlags[to] = flags[from];
        }
        seqs = newSeqs;
        millis = newMillis;
        replicas = newReplicas;
        starts = newStarts;
        lengths = newLengths;
        flags = newFlags;
    }

    /** Lays the kept lines out again from 0 in an array that holds at least {@code needed} bytes (at most 2 GiB). */
    private void growBytes(long needed) {
        long size = Math.max(FIRST_BYTES, data.length);
        while (size < needed) {
            size *= 2;
        }
        byte[] bigger = new byte[(int) Math.min(size, MAX_BYTES)];
        int at = 0;
        for (long i = first; i < appended; i++) {
            int slot = slot(i);
            copyOut(starts[slot], lengths[slot], bigger, at);
            starts[slot] = at;
            at += lengths[slot];
        }
        data = bigger;
        head = at;
    }
}
