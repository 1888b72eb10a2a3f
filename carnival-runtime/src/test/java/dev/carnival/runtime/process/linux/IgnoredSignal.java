package dev.carnival.runtime.process.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Makes this JVM ignore a signal until closed, then puts its previous disposition back exactly
 * (sigaction, so HotSpot's handler keeps its flags). Through FFM rather than sun.misc.Signal: the
 * runtime module does not read jdk.unsupported.
 */
final class IgnoredSignal implements AutoCloseable {
    private static final int SIGHUP = 1;
    /** struct sigaction is 152 bytes on x86_64 and aarch64 glibc; room to spare. */
    private static final long SIGACTION_SIZE = 256;
    private static final MethodHandle SIGACTION = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("sigaction").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    private final Arena arena = Arena.ofConfined();
    private final int signal;
    private final MemorySegment previous;

    private IgnoredSignal(int signal) {
        this.signal = signal;
        MemorySegment ignore = arena.allocate(SIGACTION_SIZE, 8);
        ignore.set(ValueLayout.JAVA_LONG, 0, 1L); // sa_handler = SIG_IGN, empty mask, no flags
        previous = arena.allocate(SIGACTION_SIZE, 8);
        sigaction(ignore, previous);
    }

    static IgnoredSignal hup() {
        return new IgnoredSignal(SIGHUP);
    }

    @Override
    public void close() {
        try {
            sigaction(previous, MemorySegment.NULL);
        } finally {
            arena.close();
        }
    }

    private void sigaction(MemorySegment act, MemorySegment old) {
        int rc;
        try {
            rc = (int) SIGACTION.invokeExact(signal, act, old);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (rc != 0) {
            throw new IllegalStateException("sigaction(" + signal + ") failed");
        }
    }
}
