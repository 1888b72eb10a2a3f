package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole native surface of process control: glibc functions bound once as {@code static final}
 * handles (so the JIT can inline them), with thin typed wrappers.
 *
 * <p>Calls that report failure through {@code errno} capture it per call and return
 * {@code -errno} on failure, the raw-syscall convention, so callers need no thread-local state.
 * The posix_spawn family returns its error number directly, as POSIX specifies.
 *
 * <p>Touching this class performs restricted FFM operations: check
 * {@link Module#isNativeAccessEnabled()} first, then call {@link #ensureLoaded()}.
 */
final class LibC {
    // ABI facts for glibc on x86_64 and aarch64 (see DESIGN.md). The allocation sizes have slack
    // on purpose: the memory is ours, and a libc with bigger opaque structs must not overrun it.
    static final long SPAWNATTR_BYTES = 336;
    static final long FILE_ACTIONS_BYTES = 80;
    static final long SIGSET_BYTES = 128;
    static final long OPAQUE_ALLOC_BYTES = 1024;

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int WNOHANG = 1;
    static final int WEXITED = 4;
    static final int WNOWAIT = 0x01000000;
    static final int P_ALL = 0;
    static final int POLLIN = 0x001;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int PR_SET_CHILD_SUBREAPER = 36;
    static final long SYS_PIDFD_OPEN = 434; // same number on x86_64 and aarch64; no glibc wrapper before 2.36

    // siginfo_t for SIGCHLD: si_pid is the first union member, at 16 on both 64-bit ABIs.
    static final long SIGINFO_BYTES = 128;
    static final long SIGINFO_PID_OFFSET = 16;

    // struct pollfd { int fd; short events; short revents; }
    static final long POLLFD_BYTES = 8;
    static final long POLLFD_EVENTS_OFFSET = 4;
    static final long POLLFD_REVENTS_OFFSET = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // Declared before the handles: static initialisation runs top to bottom.
    private static final List<String> MISSING = new ArrayList<>();

    private static final MethodHandle POSIX_SPAWNP = required("posix_spawnp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle SPAWNATTR_INIT = required("posix_spawnattr_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SPAWNATTR_DESTROY = required("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SPAWNATTR_SETFLAGS = required("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle SPAWNATTR_SETSIGDEFAULT = required("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SPAWNATTR_SETSIGMASK = required("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ACTIONS_INIT = required("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_DESTROY = required("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_ADDOPEN = required("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACTIONS_ADDDUP2 = required("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACTIONS_ADDCLOSE = required("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // glibc >= 2.29 and >= 2.34; callers have portable fallbacks when these are null.
    private static final MethodHandle ACTIONS_ADDCHDIR = optional("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ACTIONS_ADDCLOSEFROM = optional("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SIGFILLSET = required("sigfillset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = required("sigemptyset",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private static final MethodHandle KILL = requiredErrno("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WAITPID = requiredErrno("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WAITID = requiredErrno("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = requiredErrno("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD = requiredErrno("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = requiredErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = requiredErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle PIPE2 = requiredErrno("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = requiredErrno("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // Both variadic in C; the variadic arguments are read as long on the C side, so pass longs.
    private static final MethodHandle SYSCALL2 = requiredErrno("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle PRCTL2 = requiredErrno("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(1));

    private LibC() {}

    /** Throws when a function process control cannot work without is absent from this libc. */
    static void ensureLoaded() {
        if (!MISSING.isEmpty()) {
            throw new NativeUnavailableException("libc lacks " + String.join(", ", MISSING));
        }
    }

    static boolean hasAddChdir() {
        return ACTIONS_ADDCHDIR != null;
    }

    static boolean hasAddCloseFrom() {
        return ACTIONS_ADDCLOSEFROM != null;
    }

    // ---- posix_spawn family: each returns 0 or an error number ----

    static int posixSpawnp(MemorySegment pidOut, MemorySegment file, MemorySegment actions,
                           MemorySegment attr, MemorySegment argv, MemorySegment envp) {
        try {
            return (int) POSIX_SPAWNP.invokeExact(pidOut, file, actions, attr, argv, envp);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int spawnattrInit(MemorySegment attr) {
        return call1(SPAWNATTR_INIT, attr);
    }

    static int spawnattrDestroy(MemorySegment attr) {
        return call1(SPAWNATTR_DESTROY, attr);
    }

    static int spawnattrSetflags(MemorySegment attr, short flags) {
        try {
            return (int) SPAWNATTR_SETFLAGS.invokeExact(attr, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int spawnattrSetsigdefault(MemorySegment attr, MemorySegment sigset) {
        return call2(SPAWNATTR_SETSIGDEFAULT, attr, sigset);
    }

    static int spawnattrSetsigmask(MemorySegment attr, MemorySegment sigset) {
        return call2(SPAWNATTR_SETSIGMASK, attr, sigset);
    }

    static int fileActionsInit(MemorySegment actions) {
        return call1(ACTIONS_INIT, actions);
    }

    static int fileActionsDestroy(MemorySegment actions) {
        return call1(ACTIONS_DESTROY, actions);
    }

    static int fileActionsAddopen(MemorySegment actions, int fd, MemorySegment path, int flags, int mode) {
        try {
            return (int) ACTIONS_ADDOPEN.invokeExact(actions, fd, path, flags, mode);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int fileActionsAdddup2(MemorySegment actions, int fd, int newFd) {
        try {
            return (int) ACTIONS_ADDDUP2.invokeExact(actions, fd, newFd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int fileActionsAddclose(MemorySegment actions, int fd) {
        try {
            return (int) ACTIONS_ADDCLOSE.invokeExact(actions, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int fileActionsAddchdir(MemorySegment actions, MemorySegment path) {
        return call2(ACTIONS_ADDCHDIR, actions, path);
    }

    static int fileActionsAddclosefrom(MemorySegment actions, int lowFd) {
        try {
            return (int) ACTIONS_ADDCLOSEFROM.invokeExact(actions, lowFd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void sigfillset(MemorySegment set) {
        call1(SIGFILLSET, set);
    }

    static void sigemptyset(MemorySegment set) {
        call1(SIGEMPTYSET, set);
    }

    // ---- errno-reporting calls: result, or -errno on failure ----

    static int kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) KILL.invokeExact(state, pid, signal);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** waitpid(2); {@code status} is a 4-byte segment. */
    static int waitpid(int pid, MemorySegment status, int options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) WAITPID.invokeExact(state, pid, status, options);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** waitid(2); {@code info} is a {@link #SIGINFO_BYTES}-byte segment. */
    static int waitid(int idType, int id, MemorySegment info, int options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) WAITID.invokeExact(state, idType, id, info, options);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int poll(MemorySegment fds, long count, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) POLL.invokeExact(state, fds, count, timeoutMillis);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int eventfd(int initial, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) EVENTFD.invokeExact(state, initial, flags);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long read(int fd, MemorySegment buffer, long count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long r = (long) READ.invokeExact(state, fd, buffer, count);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long write(int fd, MemorySegment buffer, long count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long r = (long) WRITE.invokeExact(state, fd, buffer, count);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** pipe2(2); {@code fds} is an 8-byte segment receiving the read end, then the write end. */
    static int pipe2(MemorySegment fds, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) PIPE2.invokeExact(state, fds, flags);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) CLOSE.invokeExact(state, fd);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** pidfd_open(2): a close-on-exec fd that becomes readable when {@code pid} exits. */
    static int pidfdOpen(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long r = (long) SYSCALL2.invokeExact(state, SYS_PIDFD_OPEN, (long) pid, 0L);
            return r < 0 ? -errno(state) : (int) r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int prctl(int option, long arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) PRCTL2.invokeExact(state, option, arg);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---- plumbing ----

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static int call1(MethodHandle h, MemorySegment a) {
        try {
            return (int) h.invokeExact(a);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static int call2(MethodHandle h, MemorySegment a, MemorySegment b) {
        try {
            return (int) h.invokeExact(a, b);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static MethodHandle required(String name, FunctionDescriptor fd, Linker.Option... options) {
        MethodHandle h = optional(name, fd, options);
        if (h == null) {
            MISSING.add(name);
        }
        return h;
    }

    private static MethodHandle requiredErrno(String name, FunctionDescriptor fd, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return required(name, fd, all);
    }

    private static MethodHandle optional(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LIBC.find(name).map(symbol -> LINKER.downcallHandle(symbol, fd, options)).orElse(null);
    }
}
