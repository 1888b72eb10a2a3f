package dev.carnival.runtime.process.linux;

import dev.carnival.runtime.process.NativeUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Holds a child that posix_spawn has created until something posix_spawn cannot do has been done
 * to it by pid, from outside: its resource limit set, before its program runs.
 *
 * <p>The child's first file action opens a FIFO for reading, which blocks until a writer opens
 * it. The FIFO is unlinked as soon as it is made and reached as {@code /proc/self/fd/N} of an
 * {@code O_PATH} descriptor, which counts as neither reader nor writer: nothing is left on disk,
 * and the child reaches it through its own copy of that descriptor (close-on-exec, so gone once
 * its program runs). An anonymous pipe would not do: opening one through /proc never waits. The
 * spawn runs on a platform thread of its own, whose only child is the new process:
 * {@code /proc/self/task/TID/children} names it. One FIFO, so one gated spawn at a time.
 */
final class ExecGate implements AutoCloseable {
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Arena arena = Arena.ofShared();
    private final int pathFd;
    private final MemorySegment path;
    private final ReentrantLock lock = new ReentrantLock();

    private ExecGate(int pathFd) {
        this.pathFd = pathFd;
        this.path = Memory.cString(arena, "/proc/self/fd/" + pathFd);
    }

    /**
     * Makes the FIFO (in a fresh directory only we can enter) and unlinks it again.
     *
     * @throws NativeUnavailableException when this kernel lists no thread's children in /proc
     *                                    (CONFIG_PROC_CHILDREN), or the FIFO cannot be made
     */
    static ExecGate open() {
        try (Arena temp = Arena.ofConfined()) {
            String children = "/proc/self/task/" + LibC.gettid() + "/children";
            int probe = LibC.open(Memory.cString(temp, children), LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (probe < 0) {
                throw new NativeUnavailableException("exec gate: " + children + ": " + Errno.describe(-probe));
            }
            LibC.close(probe);
            String dir = System.getProperty("java.io.tmpdir", "/tmp") + "/.carnival-gate-" + ProcessHandle.current().pid()
                    + "-" + System.nanoTime();
            MemorySegment dirC = Memory.cString(temp, dir);
            MemorySegment fifoC = Memory.cString(temp, dir + "/g");
            int r = LibC.mkdir(dirC, 0700);
            if (r < 0) {
                throw new NativeUnavailableException("exec gate: mkdir " + dir + ": " + Errno.describe(-r));
            }
            try {
                // 0666: a child switched to another user opens it too; only our descriptor reaches it.
                r = LibC.mkfifo(fifoC, 0666);
                if (r < 0) {
                    throw new NativeUnavailableException("exec gate: mkfifo: " + Errno.describe(-r));
                }
                int fd = LibC.open(fifoC, LibC.O_PATH | LibC.O_CLOEXEC);
                LibC.unlink(fifoC);
                if (fd < 0) {
                    throw new NativeUnavailableException("exec gate: open: " + Errno.describe(-fd));
                }
                return new ExecGate(fd);
            } finally {
                LibC.rmdir(dirC);
            }
        }
    }

    /** The path the child's first file action opens for reading. */
    MemorySegment childPath() {
        return path;
    }

    /**
     * Runs {@code spawn} on a new platform thread, and while its child waits at the gate, runs
     * {@code beforeExec} with the child's pid; then lets the child go on and waits for the thread.
     *
     * @param spawn      the thread's work: it calls {@code publish} (with its own thread id) before posix_spawn
     */
    void run(Spawning spawn, IntConsumer beforeExec) {
        lock.lock();
        try {
            AtomicInteger tid = new AtomicInteger();
            Thread t = Thread.ofPlatform().name("carnival-spawn-gated").daemon().unstarted(() -> spawn.run(() -> tid.set(LibC.gettid())));
            t.start();
            int child = awaitChild(t, tid);
            try {
                if (child > 0) {
                    beforeExec.accept(child);
                }
            } finally {
                release(t, child); // even unnamed (0), a child waiting at the gate must go on
            }
            joinUninterruptibly(t);
        } finally {
            lock.unlock();
        }
    }

    /** The work of the spawning thread. */
    @FunctionalInterface
    interface Spawning {
        void run(Runnable publish);
    }

    /** The child's pid; 0 when the spawn failed before there was one, or it could not be found in time. */
    private static int awaitChild(Thread t, AtomicInteger tid) {
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        while (t.isAlive() && System.nanoTime() - deadline < 0) {
            int id = tid.get();
            if (id > 0) {
                int child = firstChild(id);
                if (child > 0) {
                    return child;
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return 0;
    }

    /** Opens the FIFO for writing, which lets the child's open return. */
    private void release(Thread t, int child) {
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        while (t.isAlive()) {
            int fd = LibC.open(path, LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
            if (fd >= 0) {
                LibC.close(fd);
                return;
            }
            // ENXIO: the child has not reached its open yet. Anything else (out of descriptors)
            // for long: kill it rather than hold the spawn for ever; it is reported killed.
            if (-fd != Errno.ENXIO && child > 0 && System.nanoTime() - deadline > 0) {
                LibC.kill(child, 9);
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The first pid in /proc/self/task/TID/children, or 0. */
    private static int firstChild(int tid) {
        try (Arena a = Arena.ofConfined()) {
            int fd = LibC.open(Memory.cString(a, "/proc/self/task/" + tid + "/children"), LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (fd < 0) {
                return 0;
            }
            MemorySegment buf = a.allocate(32);
            long n = LibC.read(fd, buf, 31);
            LibC.close(fd);
            if (n <= 0) {
                return 0;
            }
            String text = new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
            int end = 0;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            return end == 0 ? 0 : Integer.parseInt(text, 0, end, 10);
        }
    }

    static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        LibC.close(pathFd);
        arena.close();
    }
}
