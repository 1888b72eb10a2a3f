package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.carnival.runtime.process.NativeUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A poll(2) set of fds waiting for {@code POLLIN}, owned by one thread, plus an eventfd that any
 * thread may signal ({@link #wake()}) to make that thread's {@link #poll} return, e.g. after
 * handing it a new fd. Not thread-safe apart from {@link #wake()}.
 */
final class PollSet implements AutoCloseable {
    private static final long MIN_SLOTS = 64;

    private final int wakeFd;
    private final MemorySegment counter = Arena.ofAuto().allocate(JAVA_LONG);
    private MemorySegment slots = MemorySegment.NULL; // slot 0 is wakeFd, slot i + 1 is fd i
    private int size;
    /** The last poll's pollfds as shorts, copied out at once: a copy per slot read would cost more. */
    private short[] polled = new short[0];

    /** @throws NativeUnavailableException when no eventfd can be made */
    PollSet() {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0) {
            throw new NativeUnavailableException("eventfd: " + Errno.describe(-fd));
        }
        wakeFd = fd;
        resize(0);
    }

    /** Makes the owner's current or next {@link #poll} return. Any thread. */
    void wake() {
        LibC.eventfdSignal(wakeFd);
    }

    /** Watches {@code size} fds from now on, to be set with {@link #set}; forgets the earlier ones. */
    void resize(int size) {
        long needed = (size + 1L) * LibC.POLLFD.byteSize();
        if (slots.byteSize() < needed) {
            // Grown geometrically; each array has its own automatic arena, freed when dropped.
            long count = Math.max(MIN_SLOTS, Long.highestOneBit(size + 1L) * 2);
            slots = Arena.ofAuto().allocate(LibC.POLLFD, count);
        }
        this.size = size;
        slot(0, wakeFd);
    }

    /** Watches {@code fd} in place {@code index}, 0 to {@code size - 1}. */
    void set(int index, int fd) {
        slot(index + 1, fd);
    }

    int size() {
        return size;
    }

    /**
     * Waits until a watched fd is ready, {@link #wake()} was called, or the timeout (-1 for none)
     * has passed; a wake-up is consumed here.
     *
     * @return how many watched fds are ready (0 on a wake-up or timeout), or -errno
     */
    int poll(int timeoutMillis) {
        int n = LibC.poll(slots, size + 1L, timeoutMillis);
        if (n > 0) {
            int shorts = (int) ((size + 1L) * LibC.POLLFD.byteSize() / Short.BYTES);
            if (polled.length < shorts) {
                polled = new short[shorts];
            }
            Memory.getShorts(slots, 0, polled, shorts);
        }
        if (n > 0 && revents(-1) != 0) {
            LibC.read(wakeFd, counter, JAVA_LONG.byteSize());
            n--;
        }
        return n;
    }

    /** What the last {@link #poll} that found a ready fd reported for place {@code index} (0: not ready). */
    short revents(int index) {
        return polled[(int) (((index + 1L) * LibC.POLLFD.byteSize() + LibC.POLLFD_REVENTS) / Short.BYTES)];
    }

    /** Closes the eventfd; the watched fds are the caller's. */
    @Override
    public void close() {
        LibC.close(wakeFd);
    }

    private void slot(long slot, int fd) {
        long base = slot * LibC.POLLFD.byteSize();
        Memory.setInt(slots, base + LibC.POLLFD_FD, fd);
        Memory.setShort(slots, base + LibC.POLLFD_EVENTS, LibC.POLLIN);
        Memory.setShort(slots, base + LibC.POLLFD_REVENTS, (short) 0);
    }
}
