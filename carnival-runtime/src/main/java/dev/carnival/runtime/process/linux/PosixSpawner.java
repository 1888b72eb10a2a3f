package dev.carnival.runtime.process.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.carnival.runtime.process.Credentials;
import dev.carnival.runtime.process.NativeUnavailableException;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.OutputSink;
import dev.carnival.runtime.process.SpawnRequest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Starts one process with posix_spawnp(3): a new session (so its pid is its process group id),
 * every signal at its default disposition and none blocked (a JVM thread's mask and ignored
 * signals must not leak into services), stdin from /dev/null, stdout and stderr shared with us
 * or each a pipe to us (when the request has a sink for it), no other fd.
 *
 * <p>{@code argv[0]} without a slash is looked up on the supervisor's own PATH (glibc behaviour,
 * and what the JDK does too), not on the PATH of the child's environment. A relative
 * {@code argv[0]} with a slash is resolved in the child's working directory.
 *
 * <p>Portable fallbacks, for a glibc older than the {@code _np} functions: without
 * {@code addchdir_np} (glibc &lt; 2.29) the child is started as
 * {@code /bin/sh -c 'cd -- "$0" && exec "$@"' DIR ARGV...}, after checking the directory here
 * (a command that then cannot be executed shows as sh's exit code 126/127, not a SpawnException);
 * without {@code addclosefrom_np} (glibc &lt; 2.34) every fd number from 3 to a little above the
 * highest open one is closed by an explicit close action.
 */
final class PosixSpawner implements AutoCloseable {
    private static final long GLIBC_INTERNAL_SIGNALS = (1L << 31) | (1L << 32);
    private static final AtomicBoolean NOFILE_WARNED = new AtomicBoolean();
    private static final String CHDIR_SCRIPT = "cd -- \"$0\" && exec \"$@\"";
    /** How many fds other threads may open between the fallback's look at its fds and the spawn. */
    private static final int CONCURRENT_OPENS = 64;

    private final boolean useAddChdir;
    private final boolean useCloseFrom;
    // Made once, not per spawn: a restart storm spends its time in the spawn path. posix_spawn
    // only reads both (they are const in its signature), so concurrent spawns may share them.
    private final Arena shared = Arena.ofShared();
    private final MemorySegment attr;
    private final MemorySegment devNull = Memory.cString(shared, "/dev/null");
    /** stdin /dev/null and every fd from 3 closed: a child without pipes or a directory; or null. */
    private final MemorySegment plainActions;
    /** Children's open-file limit, and the gate that lets it be set before they exec; null when they inherit ours. */
    private NofileLimit nofile;
    private ExecGate gate;

    PosixSpawner() {
        this(LibC.hasAddChdir(), LibC.hasAddCloseFrom());
    }

    /** Lets tests exercise the portable fallbacks on a modern glibc. */
    PosixSpawner(boolean useAddChdir, boolean useCloseFrom) {
        this.useAddChdir = useAddChdir && LibC.hasAddChdir();
        this.useCloseFrom = useCloseFrom && LibC.hasAddCloseFrom();
        this.attr = shared.allocate(LibC.OPAQUE_ALLOC_BYTES, 16);
        initialised(LibC.spawnattrInit(attr), "posix_spawnattr_init");
        configureAttributes();
        if (this.useCloseFrom) {
            plainActions = shared.allocate(LibC.OPAQUE_ALLOC_BYTES, 16);
            initialised(LibC.fileActionsInit(plainActions), "posix_spawn_file_actions_init");
            initialised(LibC.fileActionsAddopen(plainActions, 0, devNull, LibC.O_RDONLY, 0),
                    "posix_spawn_file_actions_addopen");
            initialised(LibC.fileActionsAddclosefrom(plainActions, 3), "posix_spawn_file_actions_addclosefrom_np");
        } else {
            plainActions = null; // the fds to close are only known at each spawn
        }
    }

    /**
     * Gives every child {@code limit}'s open-file limit, set while it waits before exec (see
     * {@link ExecGate}); before the spawner is shared.
     */
    void restoreNofile(NofileLimit limit) {
        if (limit.restores()) {
            try {
                gate = ExecGate.open();
                nofile = limit;
            } catch (NativeUnavailableException e) {
                LoggerFactory.getLogger(PosixSpawner.class).warn("Services inherit Carnival's open-file limit {}"
                        + " instead of {}: {}", limit.hard(), limit.childSoft(), e.getMessage());
            }
        }
    }

    /** Whether children get their own open-file limit. */
    boolean restoresNofile() {
        return gate != null;
    }

    /** Frees the shared attributes; only once no spawn can be under way. */
    @Override
    public void close() {
        if (gate != null) {
            gate.close();
        }
        LibC.spawnattrDestroy(attr);
        if (plainActions != null) {
            LibC.fileActionsDestroy(plainActions);
        }
        shared.close();
    }

    /**
     * A started process.
     *
     * @param stdout read end of its stdout pipe (close-on-exec, ours to close), or -1 when inherited
     * @param stderr likewise for stderr
     */
    record Spawned(int pid, int stdout, int stderr) {}

    /** Starts the process. */
    Spawned spawn(SpawnRequest request) throws SpawnException {
        return spawn(request, pid -> {});
    }

    /**
     * Starts the process, and runs {@code adjust} with its pid: before it execs when children's
     * open-file limit is being restored (the gate holds it anyway), else just after.
     */
    Spawned spawn(SpawnRequest request, IntConsumer adjust) throws SpawnException {
        List<String> argv = request.argv();
        Path dir = request.workingDir();
        if (dir != null && !useAddChdir) {
            checkDirectory(dir);
            argv = shellChdir(dir, argv);
        }
        int[] out = OutputSink.piped(request.stdout()) ? pipe(request) : null;
        int[] err;
        try {
            err = OutputSink.piped(request.stderr()) ? pipe(request) : null;
        } catch (SpawnException e) {
            closeAll(out);
            throw e;
        }
        boolean started = false;
        try {
            int pid = spawn(request, argv, dir, out, err, adjust);
            started = true;
            return new Spawned(pid, out == null ? -1 : out[0], err == null ? -1 : err[0]);
        } finally {
            // The child has its own copies now; ours must go, or the reader never sees EOF.
            if (out != null) {
                LibC.close(out[1]);
            }
            if (err != null) {
                LibC.close(err[1]);
            }
            if (!started) {
                closeRead(out);
                closeRead(err);
            }
        }
    }

    private static int[] pipe(SpawnRequest request) throws SpawnException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            // Close-on-exec so no other child inherits it; dup2 onto 1 or 2 clears the flag in the child.
            int r = LibC.pipe2(fds, LibC.O_CLOEXEC);
            if (r < 0) {
                throw new SpawnException(request.argv().getFirst() + ": pipe: " + Errno.describe(-r));
            }
            return new int[] {Memory.getInt(fds, 0), Memory.getInt(fds, Integer.BYTES)};
        }
    }

    private static void closeAll(int[] pipe) {
        if (pipe != null) {
            LibC.close(pipe[0]);
            LibC.close(pipe[1]);
        }
    }

    private static void closeRead(int[] pipe) {
        if (pipe != null) {
            LibC.close(pipe[0]);
        }
    }

    private int spawn(SpawnRequest request, List<String> argv, Path dir, int[] out, int[] err, IntConsumer adjust)
            throws SpawnException {
        try (Arena arena = Arena.ofConfined()) {
            boolean chdir = dir != null && useAddChdir;
            boolean discard = request.stdout() == OutputSink.DISCARD || request.stderr() == OutputSink.DISCARD;
            if (plainActions != null && gate == null && out == null && err == null && !chdir && !discard) {
                return launch(arena, request, argv, plainActions, adjust);
            }
            MemorySegment actions = arena.allocate(LibC.OPAQUE_ALLOC_BYTES, 16);
            check(LibC.fileActionsInit(actions), "posix_spawn_file_actions_init", request);
            try {
                configureActions(arena, actions, chdir ? dir : null, request, out, err);
                return launch(arena, request, argv, actions, adjust);
            } finally {
                LibC.fileActionsDestroy(actions);
            }
        }
    }

    private int launch(Arena arena, SpawnRequest request, List<String> argv, MemorySegment actions, IntConsumer adjust)
            throws SpawnException {
        MemorySegment pid = arena.allocate(JAVA_INT);
        MemorySegment args = cStrings(arena, utf8(argv));
        MemorySegment env = cStrings(arena, request.environment().encoded());
        // The file to run is argv[0], already in the block: the first string, after the pointers.
        MemorySegment file = args.asSlice(pointersSize(argv.size()));
        if (gate == null && request.credentials() == null) {
            int error = LibC.posixSpawnp(pid, file, actions, attr, args, env);
            if (error != 0) {
                throw failure(error, request);
            }
            int child = Memory.getInt(pid, 0);
            adjust.accept(child);
            return child;
        }
        MemorySegment groups = request.credentials() == null ? null : ints(arena, request.credentials().groups());
        int child = spawnOnThread(request, groups, pid, file, actions, args, env, adjust);
        if (gate == null) {
            adjust.accept(child);
        }
        return child;
    }

    /**
     * Drops the calling thread to {@code as}: groups, then gid, then uid. False when a step
     * failed; then {@code result} holds the step (1 to 3) and its error number.
     */
    private static boolean drop(Credentials as, MemorySegment groups, int[] result) {
        int step = 1;
        int r = LibC.setgroupsThisThread((int) (groups.byteSize() / Integer.BYTES), groups);
        if (r == 0) {
            step = 2;
            r = LibC.setresgidThisThread(as.gid());
        }
        if (r == 0) {
            step = 3;
            r = LibC.setresuidThisThread(as.uid());
        }
        if (r < 0) {
            result[0] = step;
            result[1] = -r;
            return false;
        }
        return true;
    }

    /**
     * In the gate, before the child execs: its open-file limit, then the caller's adjustment. A
     * child running as another user gets its limit from a thread dropped to that user too:
     * setting another user's limit would take CAP_SYS_RESOURCE, which a container's root may lack.
     */
    private void beforeExec(int child, SpawnRequest request, MemorySegment groups, IntConsumer adjust) {
        int err;
        if (request.credentials() == null) {
            err = nofile.applyTo(child);
        } else {
            int[] result = new int[2];
            Thread t = Thread.ofPlatform().name("carnival-spawn-limit").daemon().unstarted(() -> {
                if (drop(request.credentials(), groups, result)) {
                    result[1] = nofile.applyTo(child);
                }
            });
            t.start();
            ExecGate.joinUninterruptibly(t);
            err = result[1];
        }
        if (err != 0 && err != Errno.ESRCH && NOFILE_WARNED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(PosixSpawner.class).warn("cannot give {} the open-file limit {}: {}; it has {}",
                    request.argv().getFirst(), nofile.childSoft(), Errno.describe(err), nofile.hard());
        }
        adjust.accept(child);
    }

    /**
     * posix_spawnp on a new platform thread: to run as another user, or to be held at the
     * {@link ExecGate} (or both).
     *
     * <p>As another user, without changing the supervisor's credentials: posix_spawn has no
     * credentials attribute: the child takes those of the thread that spawns it, and Linux keeps
     * credentials per thread. The glibc wrappers (setuid, setresuid, setgroups...) would change
     * every thread of the JVM (they signal each one, the "setxid" broadcast POSIX asks for); the
     * raw syscalls change only the calling thread. So the new thread drops to the user (groups,
     * then gid, then uid: once the uid is not 0 the thread can change nothing more) and spawns,
     * then ends; no other thread, and no thread that runs Java code afterwards, ever holds those
     * credentials. Everything the thread needs is prepared here first, so between dropping and
     * spawning it only calls libc. Setting all three uids (the fsuid follows the effective one)
     * is what makes the child unable to regain root. One thread per such spawn costs tens of
     * microseconds; the ordinary path takes none.
     *
     * @param groups the supplementary groups when switching users, else null
     */
    private int spawnOnThread(SpawnRequest request, MemorySegment groups, MemorySegment pid, MemorySegment file,
                              MemorySegment actions, MemorySegment args, MemorySegment env, IntConsumer adjust)
            throws SpawnException {
        Credentials as = request.credentials();
        int[] result = new int[2]; // the step that failed (0: none), its error number
        Throwable[] thrown = new Throwable[1];
        ExecGate.Spawning work = publish -> {
            try {
                if (as != null && !drop(as, groups, result)) {
                    return;
                }
                publish.run();
                result[1] = LibC.posixSpawnp(pid, file, actions, attr, args, env);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        };
        if (gate != null) {
            gate.run(work, child -> beforeExec(child, request, groups, adjust)); // joins the thread: its writes are visible
        } else {
            Thread t = Thread.ofPlatform().name("carnival-spawn-as").daemon().unstarted(() -> work.run(() -> {}));
            t.start();
            ExecGate.joinUninterruptibly(t); // join orders the thread's writes before our reads
        }
        if (thrown[0] instanceof RuntimeException e) {
            throw e;
        }
        if (thrown[0] != null) {
            throw new IllegalStateException(thrown[0]);
        }
        if (result[0] != 0) {
            String call = switch (result[0]) {
                case 1 -> "setgroups";
                case 2 -> "setresgid";
                default -> "setresuid";
            };
            throw new SpawnException(request.argv().getFirst() + ": cannot run as " + as.user() + ": " + call
                    + ": " + Errno.describe(result[1]));
        }
        if (result[1] != 0) {
            throw failure(result[1], request);
        }
        return Memory.getInt(pid, 0);
    }

    private void configureAttributes() {
        MemorySegment all = shared.allocate(LibC.SIGSET);
        MemorySegment none = shared.allocate(LibC.SIGSET);
        LibC.sigfillset(all);
        // glibc's sigfillset leaves out its internal signals 32 and 33, and its posix_spawn then
        // sets them to SIG_IGN in the child, which survives exec (measured: SigIgn 0x180000000).
        // A non-glibc program would inherit them ignored, so put them in the set by hand:
        // sigset_t is an array of unsigned long, bit n-1 for signal n.
        Memory.setLong(all, 0, Memory.getLong(all, 0) | GLIBC_INTERNAL_SIGNALS);
        LibC.sigemptyset(none);
        initialised(LibC.spawnattrSetsigdefault(attr, all), "posix_spawnattr_setsigdefault");
        initialised(LibC.spawnattrSetsigmask(attr, none), "posix_spawnattr_setsigmask");
        initialised(LibC.spawnattrSetflags(attr, (short) (LibC.POSIX_SPAWN_SETSID
                | LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK)), "posix_spawnattr_setflags");
    }

    /** @param dir the child's working directory when set by a file action, else null */
    private void configureActions(Arena arena, MemorySegment actions, Path dir, SpawnRequest request,
                                  int[] out, int[] err) throws SpawnException {
        if (gate != null) {
            // First, so the child waits there before anything else; the next action replaces fd 0.
            check(LibC.fileActionsAddopen(actions, 0, gate.childPath(), LibC.O_RDONLY, 0),
                    "posix_spawn_file_actions_addopen", request);
        }
        check(LibC.fileActionsAddopen(actions, 0, devNull, LibC.O_RDONLY, 0),
                "posix_spawn_file_actions_addopen", request);
        if (out != null) {
            check(LibC.fileActionsAdddup2(actions, out[1], 1), "posix_spawn_file_actions_adddup2", request);
        }
        if (err != null) {
            check(LibC.fileActionsAdddup2(actions, err[1], 2), "posix_spawn_file_actions_adddup2", request);
        }
        if (request.stdout() == OutputSink.DISCARD) {
            check(LibC.fileActionsAddopen(actions, 1, devNull, LibC.O_WRONLY, 0), "posix_spawn_file_actions_addopen", request);
        }
        if (request.stderr() == OutputSink.DISCARD) {
            check(LibC.fileActionsAddopen(actions, 2, devNull, LibC.O_WRONLY, 0), "posix_spawn_file_actions_addopen", request);
        }
        if (dir != null) {
            check(LibC.fileActionsAddchdir(actions, Memory.cString(arena, dir.toString())),
                    "posix_spawn_file_actions_addchdir_np", request);
        }
        if (useCloseFrom) {
            check(LibC.fileActionsAddclosefrom(actions, 3), "posix_spawn_file_actions_addclosefrom_np", request);
        } else {
            int last = highestOpenFd() + CONCURRENT_OPENS;
            for (int fd = 3; fd <= last; fd++) {
                check(LibC.fileActionsAddclose(actions, fd), "posix_spawn_file_actions_addclose", request);
            }
        }
    }

    private static List<String> shellChdir(Path dir, List<String> argv) {
        List<String> wrapped = new ArrayList<>(argv.size() + 4);
        wrapped.add("/bin/sh");
        wrapped.add("-c");
        wrapped.add(CHDIR_SCRIPT);
        wrapped.add(dir.toString());
        wrapped.addAll(argv);
        return wrapped;
    }

    /**
     * A NULL-terminated array of C strings in one allocation: the pointers, then the strings.
     * One block instead of one per string: an environment is dozens of strings, and each
     * allocation in a confined arena is a malloc and a free.
     */
    private static MemorySegment cStrings(Arena arena, List<byte[]> strings) {
        int n = strings.size();
        long pointers = pointersSize(n);
        long total = pointers;
        for (byte[] s : strings) {
            total += s.length + 1L;
        }
        MemorySegment block = arena.allocate(total, Long.BYTES); // zeroed: terminators and NULL are there
        long[] addresses = new long[n]; // then the NULL, already there
        long offset = pointers;
        for (int i = 0; i < n; i++) {
            byte[] s = strings.get(i);
            MemorySegment.copy(MemorySegment.ofArray(s), 0, block, offset, s.length); // see Memory
            addresses[i] = block.address() + offset;
            offset += s.length + 1L;
        }
        Memory.setLongs(block, 0, addresses);
        return block;
    }

    private static MemorySegment ints(Arena arena, int[] values) {
        MemorySegment segment = arena.allocate((long) values.length * Integer.BYTES, Integer.BYTES);
        Memory.setInts(segment, 0, values);
        return segment;
    }

    /** The NULL-terminated pointer array of {@code n} strings, in bytes (pointers are 64-bit here). */
    private static long pointersSize(int n) {
        return (n + 1L) * Long.BYTES;
    }

    private static List<byte[]> utf8(List<String> strings) {
        List<byte[]> bytes = new ArrayList<>(strings.size());
        for (String s : strings) {
            bytes.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }

    /**
     * The highest fd open in this process now. Another thread may open more before the spawn, each
     * at the lowest free number: the fallback closes every number up to this one plus
     * {@link #CONCURRENT_OPENS}, open or not (glibc ignores closing an fd that is not open), so
     * those do not reach the child either.
     */
    private static int highestOpenFd() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.mapToInt(p -> Integer.parseInt(p.getFileName().toString())).max().orElse(2);
        } catch (IOException | NumberFormatException e) {
            return 1024; // no /proc: the numbers a process has by default
        }
    }

    private static void checkDirectory(Path dir) throws SpawnException {
        int err = directoryError(dir);
        if (err != 0) {
            throw new SpawnException("working directory " + dir + ": " + Errno.describe(err));
        }
    }

    /** Why {@code dir} cannot be a working directory, as an error number; 0 when it can. */
    private static int directoryError(Path dir) {
        if (!Files.exists(dir)) {
            return Errno.ENOENT;
        }
        if (!Files.isDirectory(dir)) {
            return Errno.ENOTDIR;
        }
        return Files.isExecutable(dir) ? 0 : Errno.EACCES;
    }

    /**
     * One line for a failed spawn. A chdir failure comes back as the same error number as an
     * exec failure, so the directory is examined here to tell the two apart.
     */
    private static SpawnException failure(int err, SpawnRequest request) {
        String command = request.argv().getFirst();
        Path dir = request.workingDir();
        if (dir != null && (err == Errno.ENOENT || err == Errno.ENOTDIR || err == Errno.EACCES)) {
            int dirErr = directoryError(dir);
            if (dirErr != 0) {
                return new SpawnException("working directory " + dir + ": " + Errno.describe(dirErr));
            }
        }
        if (err == Errno.ENOENT && command.indexOf('/') < 0) {
            return new SpawnException(command + ": command not found");
        }
        return new SpawnException(command + ": " + Errno.describe(err));
    }

    /** These fail only when out of memory, and then nothing can be spawned. */
    private static void initialised(int err, String call) {
        if (err != 0) {
            throw new NativeUnavailableException(call + ": " + Errno.describe(err));
        }
    }

    private static void check(int err, String call, SpawnRequest request) throws SpawnException {
        if (err != 0) {
            throw new SpawnException(request.argv().getFirst() + ": " + call + ": " + Errno.describe(err));
        }
    }
}
