package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.carnival.runtime.process.NativeUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole native surface of process control: glibc functions looked up once and called through
 * a single {@code static final} downcall handle (so the JIT can inline it; see {@link #CALL} for
 * why a single one), with thin typed wrappers.
 *
 * <p>Calls that report failure through {@code errno} capture it per call and return
 * {@code -errno} on failure, the raw-syscall convention, so callers need no thread-local state.
 * The posix_spawn family returns its error number directly, as POSIX specifies.
 *
 * <p>Touching this class performs restricted FFM operations: check
 * {@link Module#isNativeAccessEnabled()} first, then call {@link #ensureLoaded()}.
 */
final class LibC {
    // ABI facts for glibc on x86_64 and aarch64. posix_spawnattr_t is 336 bytes and
    // posix_spawn_file_actions_t 80; OPAQUE_ALLOC_BYTES has slack on purpose: the memory is ours,
    // and a libc with bigger opaque structs must not overrun it.
    static final long OPAQUE_ALLOC_BYTES = 1024;

    /** sigset_t: 1024 bits, an array of unsigned long with bit n-1 for signal n. */
    static final SequenceLayout SIGSET = MemoryLayout.sequenceLayout(16, JAVA_LONG);

    /** struct pollfd. */
    static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
    static final long POLLFD_FD = offsetOf(POLLFD, "fd");
    static final long POLLFD_EVENTS = offsetOf(POLLFD, "events");
    static final long POLLFD_REVENTS = offsetOf(POLLFD, "revents");

    /**
     * siginfo_t as waitid(2) fills it for a child: three ints, then the union (8-aligned on both
     * 64-bit ABIs) whose SIGCHLD member starts with si_pid; 128 bytes in all.
     */
    static final StructLayout SIGINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("si_signo"), JAVA_INT.withName("si_errno"), JAVA_INT.withName("si_code"),
            MemoryLayout.paddingLayout(4),
            JAVA_INT.withName("si_pid"), JAVA_INT.withName("si_uid"), JAVA_INT.withName("si_status"),
            MemoryLayout.paddingLayout(100)).withByteAlignment(8);
    static final long SIGINFO_PID = offsetOf(SIGINFO, "si_pid");

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CLOEXEC = 0x80000;
    static final int O_NONBLOCK = 0x800;
    static final int O_PATH = 0x200000; // same on x86_64 and aarch64
    static final int WNOHANG = 1;
    static final int WEXITED = 4;
    static final int WNOWAIT = 0x01000000;
    static final int P_ALL = 0;
    static final short POLLIN = 0x001;
    static final short POLLERR = 0x008;
    static final short POLLHUP = 0x010;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int PR_SET_CHILD_SUBREAPER = 36;
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    /** struct sockaddr_un: the family, then a NUL-terminated path of at most 107 bytes. */
    static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"), MemoryLayout.sequenceLayout(108, JAVA_BYTE).withName("sun_path"));
    static final long SUN_PATH = offsetOf(SOCKADDR_UN, "sun_path");
    static final int SOL_SOCKET = 1;
    static final int SO_PASSCRED = 16; // asm-generic, as on x86_64 and aarch64
    static final int SCM_RIGHTS = 1;
    static final int SCM_CREDENTIALS = 2;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** struct iovec. */
    static final StructLayout IOVEC = MemoryLayout.structLayout(ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    /** struct msghdr (64-bit ABIs). */
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));
    static final long MSG_IOV = offsetOf(MSGHDR, "msg_iov");
    static final long MSG_IOVLEN = offsetOf(MSGHDR, "msg_iovlen");
    static final long MSG_CONTROL = offsetOf(MSGHDR, "msg_control");
    static final long MSG_CONTROLLEN = offsetOf(MSGHDR, "msg_controllen");
    /** struct cmsghdr: its data follows, at {@link #CMSG_DATA}; each header is 8-aligned. */
    static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"), JAVA_INT.withName("cmsg_type"));
    static final long CMSG_LEVEL = offsetOf(CMSGHDR, "cmsg_level");
    static final long CMSG_TYPE = offsetOf(CMSGHDR, "cmsg_type");
    static final long CMSG_DATA = CMSGHDR.byteSize();
    static final long SYS_PIDFD_OPEN = 434; // same number on x86_64 and aarch64; no glibc wrapper before 2.36
    // Raw credential syscalls (see PosixSpawner.spawnAs for why not the glibc wrappers); these
    // differ by architecture, and LinuxProcessControl admits only these two.
    private static final boolean AARCH64 = System.getProperty("os.arch", "").equals("aarch64");
    static final long SYS_SETGROUPS = AARCH64 ? 159 : 116;
    static final long SYS_SETRESUID = AARCH64 ? 147 : 117;
    static final long SYS_SETRESGID = AARCH64 ? 149 : 119;
    static final long SYS_GETTID = AARCH64 ? 178 : 186;
    static final int RLIMIT_NOFILE = 7;
    /** struct rlimit: rlim_cur, rlim_max (unsigned long each on both 64-bit ABIs). */
    static final StructLayout RLIMIT = MemoryLayout.structLayout(
            JAVA_LONG.withName("rlim_cur"), JAVA_LONG.withName("rlim_max"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO = offsetOf(CAPTURE_LAYOUT, "errno");

    /**
     * The one downcall shape for every function here: {@code long f(long, long, long, long, long,
     * long)}, errno captured, target address passed per call.
     *
     * <p>Why one shape: the JDK generates a stub per distinct (descriptor, options), and at
     * start-up the first costs about 55 ms and each further one 2.5 to 5 ms; 16 shapes were
     * most of the time to first spawn. One shape is ABI-exact on the two architectures we
     * support (checked in {@link LinuxProcessControl}): every function here takes at most six
     * integer or pointer arguments and returns an int, a long or nothing of use. SysV x86_64 and
     * AAPCS64 pass those in the first six integer registers, so extra zero arguments are never
     * read, and reading an int result as a long and narrowing it gives the int (its upper half
     * is unspecified, hence the narrowing casts below). Pointers go as addresses of segments
     * the caller keeps alive across the call.
     *
     * <p>Not declared variadic although {@code syscall} and {@code prctl} are variadic in C:
     * {@code firstVariadicArg} makes the stub cost a start-up about 4 ms more (one-{@code true}
     * start-to-exit, median of 40, four A/B runs: 1 to 6 ms), and it changes nothing these two
     * can see.
     * On aarch64 Linux, variadic integer arguments travel exactly like named ones. On x86_64 the
     * only difference is {@code %al}, an upper bound on the vector registers used, which only
     * a {@code va_start} prologue reads, to decide whether to spill vector registers (GCC and
     * Clang test it for zero, so a stray value costs a few stores). glibc's {@code syscall} is
     * assembly that never reads it, and its {@code prctl} takes its integer varargs without
     * looking at it (checked by disassembly on glibc 2.36 x86_64).
     */
    private static final MethodHandle CALL = LINKER.downcallHandle(
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"));

    /**
     * Capture state for calls whose errno means nothing (the posix_spawn family reports errors
     * in its result). Threads may write it concurrently; nothing ever reads it.
     */
    private static final MemorySegment IGNORED_STATE = Arena.global().allocate(CAPTURE_LAYOUT);
    /** The 8-byte value 1 that an eventfd write adds; write(2) only reads it. */
    private static final MemorySegment EVENTFD_ONE = Arena.global().allocate(JAVA_LONG);
    static {
        Memory.setLong(EVENTFD_ONE, 0, 1L);
    }

    // Declared before the symbols: static initialisation runs top to bottom.
    private static final List<String> MISSING = new ArrayList<>();

    private static final MemorySegment POSIX_SPAWNP = required("posix_spawnp");
    private static final MemorySegment SPAWNATTR_INIT = required("posix_spawnattr_init");
    private static final MemorySegment SPAWNATTR_DESTROY = required("posix_spawnattr_destroy");
    private static final MemorySegment SPAWNATTR_SETFLAGS = required("posix_spawnattr_setflags");
    private static final MemorySegment SPAWNATTR_SETSIGDEFAULT = required("posix_spawnattr_setsigdefault");
    private static final MemorySegment SPAWNATTR_SETSIGMASK = required("posix_spawnattr_setsigmask");
    private static final MemorySegment ACTIONS_INIT = required("posix_spawn_file_actions_init");
    private static final MemorySegment ACTIONS_DESTROY = required("posix_spawn_file_actions_destroy");
    private static final MemorySegment ACTIONS_ADDOPEN = required("posix_spawn_file_actions_addopen");
    private static final MemorySegment ACTIONS_ADDDUP2 = required("posix_spawn_file_actions_adddup2");
    private static final MemorySegment ACTIONS_ADDCLOSE = required("posix_spawn_file_actions_addclose");
    // glibc >= 2.29 and >= 2.34; callers have portable fallbacks when these are null.
    private static final MemorySegment ACTIONS_ADDCHDIR = optional("posix_spawn_file_actions_addchdir_np");
    private static final MemorySegment ACTIONS_ADDCLOSEFROM = optional("posix_spawn_file_actions_addclosefrom_np");
    private static final MemorySegment SIGFILLSET = required("sigfillset");
    private static final MemorySegment SIGEMPTYSET = required("sigemptyset");

    private static final MemorySegment KILL = required("kill");
    private static final MemorySegment WAITPID = required("waitpid");
    private static final MemorySegment WAITID = required("waitid");
    private static final MemorySegment POLL = required("poll");
    private static final MemorySegment EVENTFD = required("eventfd");
    private static final MemorySegment READ = required("read");
    private static final MemorySegment WRITE = required("write");
    private static final MemorySegment PIPE2 = required("pipe2");
    private static final MemorySegment CLOSE = required("close");
    private static final MemorySegment OPEN = required("open");
    private static final MemorySegment MKFIFO = required("mkfifo");
    private static final MemorySegment UNLINK = required("unlink");
    private static final MemorySegment MKDIR = required("mkdir");
    private static final MemorySegment RMDIR = required("rmdir");
    private static final MemorySegment SYSCALL = required("syscall");
    private static final MemorySegment PRCTL = required("prctl");
    private static final MemorySegment PRLIMIT = required("prlimit");
    private static final MemorySegment SOCKET = required("socket");
    private static final MemorySegment BIND = required("bind");
    private static final MemorySegment RECV = required("recv");
    private static final MemorySegment RECVMSG = required("recvmsg");
    private static final MemorySegment SETSOCKOPT = required("setsockopt");

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
        return (int) plain(POSIX_SPAWNP, pidOut.address(), file.address(), actions.address(),
                attr.address(), argv.address(), envp.address());
    }

    static int spawnattrInit(MemorySegment attr) {
        return (int) plain(SPAWNATTR_INIT, attr.address(), 0);
    }

    static int spawnattrDestroy(MemorySegment attr) {
        return (int) plain(SPAWNATTR_DESTROY, attr.address(), 0);
    }

    static int spawnattrSetflags(MemorySegment attr, short flags) {
        return (int) plain(SPAWNATTR_SETFLAGS, attr.address(), flags);
    }

    static int spawnattrSetsigdefault(MemorySegment attr, MemorySegment sigset) {
        return (int) plain(SPAWNATTR_SETSIGDEFAULT, attr.address(), sigset.address());
    }

    static int spawnattrSetsigmask(MemorySegment attr, MemorySegment sigset) {
        return (int) plain(SPAWNATTR_SETSIGMASK, attr.address(), sigset.address());
    }

    static int fileActionsInit(MemorySegment actions) {
        return (int) plain(ACTIONS_INIT, actions.address(), 0);
    }

    static int fileActionsDestroy(MemorySegment actions) {
        return (int) plain(ACTIONS_DESTROY, actions.address(), 0);
    }

    static int fileActionsAddopen(MemorySegment actions, int fd, MemorySegment path, int flags, int mode) {
        return (int) plain(ACTIONS_ADDOPEN, actions.address(), fd, path.address(), flags, mode);
    }

    static int fileActionsAdddup2(MemorySegment actions, int fd, int newFd) {
        return (int) plain(ACTIONS_ADDDUP2, actions.address(), fd, newFd);
    }

    static int fileActionsAddclose(MemorySegment actions, int fd) {
        return (int) plain(ACTIONS_ADDCLOSE, actions.address(), fd);
    }

    static int fileActionsAddchdir(MemorySegment actions, MemorySegment path) {
        return (int) plain(ACTIONS_ADDCHDIR, actions.address(), path.address());
    }

    static int fileActionsAddclosefrom(MemorySegment actions, int lowFd) {
        return (int) plain(ACTIONS_ADDCLOSEFROM, actions.address(), lowFd);
    }

    static void sigfillset(MemorySegment set) {
        plain(SIGFILLSET, set.address(), 0);
    }

    static void sigemptyset(MemorySegment set) {
        plain(SIGEMPTYSET, set.address(), 0);
    }

    // ---- errno-reporting calls: result, or -errno on failure ----

    static int kill(int pid, int signal) {
        return (int) errnoCall(KILL, pid, signal, 0, 0);
    }

    /** waitpid(2); {@code status} is a 4-byte segment. */
    static int waitpid(int pid, MemorySegment status, int options) {
        return (int) errnoCall(WAITPID, pid, status.address(), options, 0);
    }

    /** waitid(2); {@code info} is a {@link #SIGINFO} segment. */
    static int waitid(int idType, int id, MemorySegment info, int options) {
        return (int) errnoCall(WAITID, idType, id, info.address(), options);
    }

    /** poll(2); {@code fds} holds {@code count} {@link #POLLFD}s. */
    static int poll(MemorySegment fds, long count, int timeoutMillis) {
        return (int) errnoCall(POLL, fds.address(), count, timeoutMillis, 0);
    }

    static int eventfd(int initial, int flags) {
        return (int) errnoCall(EVENTFD, initial, flags, 0, 0);
    }

    static long read(int fd, MemorySegment buffer, long count) {
        return errnoCallLong(READ, fd, buffer.address(), count, 0);
    }

    static long write(int fd, MemorySegment buffer, long count) {
        return errnoCallLong(WRITE, fd, buffer.address(), count, 0);
    }

    /**
     * Adds one to an eventfd's counter, waking its poller. EAGAIN (the counter is full) leaves
     * the fd readable, which is all a wake-up needs, so the result is ignored.
     */
    static void eventfdSignal(int fd) {
        errnoCallLong(WRITE, fd, EVENTFD_ONE.address(), 8, 0);
    }

    /** pipe2(2); {@code fds} is an 8-byte segment receiving the read end, then the write end. */
    static int pipe2(MemorySegment fds, int flags) {
        return (int) errnoCall(PIPE2, fds.address(), flags, 0, 0);
    }

    /** open(2) without O_CREAT; {@code path} is a C string. */
    static int open(MemorySegment path, int flags) {
        return (int) errnoCall(OPEN, path.address(), flags, 0, 0);
    }

    /** mkfifo(3); {@code path} is a C string. */
    static int mkfifo(MemorySegment path, int mode) {
        return (int) errnoCall(MKFIFO, path.address(), mode, 0, 0);
    }

    static int mkdir(MemorySegment path, int mode) {
        return (int) errnoCall(MKDIR, path.address(), mode, 0, 0);
    }

    static int rmdir(MemorySegment path) {
        return (int) errnoCall(RMDIR, path.address(), 0, 0, 0);
    }

    static int unlink(MemorySegment path) {
        return (int) errnoCall(UNLINK, path.address(), 0, 0, 0);
    }

    static int close(int fd) {
        return (int) errnoCall(CLOSE, fd, 0, 0, 0);
    }

    /** pidfd_open(2): a close-on-exec fd that becomes readable when {@code pid} exits. */
    static int pidfdOpen(int pid) {
        return (int) errnoCallLong(SYSCALL, SYS_PIDFD_OPEN, pid, 0, 0);
    }

    /**
     * setgroups(2) as a raw syscall: changes the calling thread's supplementary groups only.
     * {@code list} holds {@code count} 32-bit gids.
     */
    static int setgroupsThisThread(int count, MemorySegment list) {
        return (int) errnoCallLong(SYSCALL, SYS_SETGROUPS, count, list.address(), 0);
    }

    /** setresgid(2) as a raw syscall, all three ids to {@code gid}: the calling thread only. */
    static int setresgidThisThread(int gid) {
        long g = Integer.toUnsignedLong(gid);
        return (int) errnoCallLong(SYSCALL, SYS_SETRESGID, g, g, g);
    }

    /** setresuid(2) as a raw syscall, all three ids (and so the fsuid) to {@code uid}: the calling thread only. */
    static int setresuidThisThread(int uid) {
        long u = Integer.toUnsignedLong(uid);
        return (int) errnoCallLong(SYSCALL, SYS_SETRESUID, u, u, u);
    }

    /**
     * prlimit(2): reads a resource limit of process {@code pid} (0: this one) into {@code old}
     * and/or sets it from {@code limit}; either may be {@link MemorySegment#NULL}. Both are
     * {@link #RLIMIT} segments.
     */
    static int prlimit(int pid, int resource, MemorySegment limit, MemorySegment old) {
        return (int) errnoCall(PRLIMIT, pid, resource, limit.address(), old.address());
    }

    /** gettid(2): the calling thread's id, as /proc/self/task names it. */
    static int gettid() {
        return (int) errnoCallLong(SYSCALL, SYS_GETTID, 0, 0, 0);
    }

    static int socket(int domain, int type, int protocol) {
        return (int) errnoCall(SOCKET, domain, type, protocol, 0);
    }

    /** bind(2); {@code address} holds {@code length} bytes of a socket address. */
    static int bind(int fd, MemorySegment address, long length) {
        return (int) errnoCall(BIND, fd, address.address(), length, 0);
    }

    /** recv(2) with no flags: the datagram's length (cut at {@code count}), or -errno. */
    static long recv(int fd, MemorySegment buffer, long count) {
        return errnoCallLong(RECV, fd, buffer.address(), count, 0);
    }

    /** recvmsg(2): the datagram's length, or -errno; {@code message} is a {@link #MSGHDR}. */
    static long recvmsg(int fd, MemorySegment message, int flags) {
        return errnoCallLong(RECVMSG, fd, message.address(), flags, 0);
    }

    /** setsockopt(2) of an int option. */
    static int setsockopt(int fd, int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            Memory.setInt(v, 0, value);
            return errnoCall(SETSOCKOPT, fd, level, option, v.address(), Integer.BYTES);
        }
    }

    static int prctl(int option, long arg) {
        return (int) errnoCall(PRCTL, option, arg, 0, 0);
    }

    // ---- plumbing ----

    /** A call whose errno is meaningless; returns the raw result (narrow it for an int function). */
    private static long plain(MemorySegment function, long a, long b) {
        return plain(function, a, b, 0, 0, 0, 0);
    }

    private static long plain(MemorySegment function, long a, long b, long c) {
        return plain(function, a, b, c, 0, 0, 0);
    }

    private static long plain(MemorySegment function, long a, long b, long c, long d, long e) {
        return plain(function, a, b, c, d, e, 0);
    }

    private static long plain(MemorySegment function, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) CALL.invokeExact(function, IGNORED_STATE, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * A call of a function returning int that reports failure as -1 and errno: the result, or
     * -errno. Narrowed before the sign test, since the upper half of an int result is undefined.
     */
    private static int errnoCall(MemorySegment function, long a, long b, long c, long d) {
        return errnoCall(function, a, b, c, d, 0);
    }

    private static int errnoCall(MemorySegment function, long a, long b, long c, long d, long e) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) (long) CALL.invokeExact(function, state, a, b, c, d, e, 0L);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Like {@link #errnoCall} for a function returning long (ssize_t, syscall). */
    private static long errnoCallLong(MemorySegment function, long a, long b, long c, long d) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            long r = (long) CALL.invokeExact(function, state, a, b, c, d, 0L, 0L);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static int errno(MemorySegment state) {
        return Memory.getInt(state, ERRNO);
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

    /**
     * A member's offset, summed from the members before it (struct layouts spell out their
     * padding): a layout path would initialise LayoutPath, see {@link Memory}.
     */
    static long offsetOf(StructLayout struct, String member) {
        long offset = 0;
        for (MemoryLayout m : struct.memberLayouts()) {
            if (member.equals(m.name().orElse(null))) {
                return offset;
            }
            offset += m.byteSize();
        }
        throw new IllegalArgumentException(member + " is not a member of " + struct);
    }

    private static MemorySegment required(String name) {
        MemorySegment symbol = optional(name);
        if (symbol == null) {
            MISSING.add(name);
        }
        return symbol;
    }

    private static MemorySegment optional(String name) {
        return LIBC.find(name).orElse(null);
    }
}
